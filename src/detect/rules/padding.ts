import type {Hit} from '../finding.js'
import {DEFINITIONS, pattern, type Subject, type TextRule} from '../rule.js'

const meta = {
  id: 'padding',
  technique: 'padding',
  severity: 'medium',
  surfaces: DEFINITIONS,
  description: 'A long run of blank lines or spaces that pushes the text after it out of the part a client shows.',
} as const

const RUN = pattern(String.raw`[\s\u2800\u3164\uffa0\u115f\u1160]{6,}`)
// Blank characters that are not ordinary spaces (braille blank, hangul fillers, ideographic and typographic spaces).
const UNUSUAL_BLANK = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u2800\u3000\u3164\uffa0\u115f\u1160]/g

export const padding: TextRule = {
  meta,
  check(subject: Subject): Hit[] {
    const {text} = subject
    const hits: Hit[] = []
    RUN.lastIndex = 0
    for (let match = RUN.exec(text); match && hits.length < 2; match = RUN.exec(text)) {
      const end = match.index + match[0].length
      // Trailing blanks hide nothing; text after them is what the padding hides.
      if (!/\S/.test(text.slice(end, end + 200))) continue
      const lines = match[0].split('\n').length - 1
      const unusual = match[0].match(UNUSUAL_BLANK)?.length ?? 0
      const spaces = match[0].length - lines
      if (lines < 6 && spaces < 60 && unusual < 8) continue
      const what = lines >= 6 ? `${lines} line breaks` : unusual >= 8 ? `${unusual} unusual blank characters` : `${spaces} blank characters`
      hits.push({
        rule: meta.id,
        technique: meta.technique,
        severity: meta.severity,
        message: `${what} push the text after them out of what a client shows.`,
        start: match.index,
        end,
      })
    }

    return hits
  },
}
