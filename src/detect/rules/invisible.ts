import type {Hit} from '../finding.js'
import {findHiddenText, type HiddenText} from '../hidden-text.js'
import {ALL_SURFACES, type Subject, type TextRule} from '../rule.js'

const meta = {
  id: 'invisible-chars',
  technique: 'invisible-chars',
  severity: 'high',
  surfaces: ALL_SURFACES,
  description: 'Zero-width characters, Unicode tag characters and bidi overrides or isolates: text a person cannot see, or sees reordered.',
} as const

// Hebrew, Arabic, Syriac, Thaana, N'Ko and the presentation forms: text that legitimately carries direction marks.
const RTL_SCRIPT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/
 
const ASCII = /^[\u0000-\u007f]*$/
const OVERRIDE = new Set(['U+202D', 'U+202E'])
// Results are untrusted documents (web pages carry zero-width spaces and soft hyphens): only what hides a message or reorders text.
const RESULT_KINDS = new Set(['tag', 'bidi'])

const WHAT: Record<HiddenText['kind'], string> = {
  bidi: 'direction-changing character(s) reorder what a person sees',
  tag: 'Unicode tag character(s) spell a message a person cannot see',
  'zero-width': 'zero-width character(s) hide text or split words a person reads',
  'other-invisible': 'invisible character(s) hide text a person reads',
}

export const invisible: TextRule = {
  meta,
  check(subject: Subject): Hit[] {
    // Every character this rule looks for is outside ASCII.
    if (ASCII.test(subject.text)) return []
    const rtl = RTL_SCRIPT.test(subject.text)
    const found = findHiddenText(subject.text).filter((h) => {
      if (subject.surface === 'result' && !RESULT_KINDS.has(h.kind)) return false
      // Marks and isolates belong to right-to-left text; overrides never do (Trojan Source).
      return !(rtl && h.kind === 'bidi' && !OVERRIDE.has(h.codePoint))
    })
    const hits: Hit[] = []
    // One finding per run of adjacent hidden characters (a tag message is one run).
    for (let i = 0; i < found.length && hits.length < 3; ) {
      let j = i
      while (j + 1 < found.length && found[j + 1].index <= found[j].index + 2) j++
      const run = found.slice(i, j + 1)
      const start = run[0].index
      const end = run.at(-1)!.index + (run.at(-1)!.codePoint.length > 6 ? 2 : 1)
      const kind = run.find((h) => h.kind === 'tag')?.kind ?? run.find((h) => h.kind === 'bidi')?.kind ?? run[0].kind
      const hidden = kind === 'tag' ? decodeTags(subject.text.slice(start, end)) : ''
      hits.push({
        rule: meta.id,
        technique: meta.technique,
        severity: meta.severity,
        message: `${run.length} ${WHAT[kind]} (${[...new Set(run.map((h) => h.codePoint))].slice(0, 3).join(', ')})${hidden ? `: "${hidden.slice(0, 80)}"` : ''}.`,
        start,
        end,
      })
      i = j + 1
    }

    return hits
  },
}

/** Tag characters U+E0020–U+E007E mirror ASCII: the hidden message, readable. */
export function decodeTags(text: string): string {
  let out = ''
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (code >= 0xe_00_20 && code <= 0xe_00_7e) out += String.fromCodePoint(code - 0xe_00_00)
  }

  return out
}
