import type {Hit} from '../finding.js'
import {excerptOf} from '../visible.js'
import {DEFINITIONS, pattern, type Subject, type TextRule} from '../rule.js'

const meta = {
  id: 'hidden-comment',
  technique: 'hidden-comment',
  severity: 'high',
  surfaces: DEFINITIONS,
  description: 'Text a client does not show but a model reads: HTML/XML comments, Markdown link-reference comments, elements styled invisible.',
} as const

const MARKDOWN_COMMENT = pattern(String.raw`\[(?://|#|comment|hidden|note|todo|ai)\]:[ \t]{0,8}(?:#|<>)[ \t]{0,8}[("'][^\n]{0,2000}`, 'gi')
const TAG = pattern(String.raw`<[a-z][a-z0-9]{0,20}\s[^<>]{0,400}>`, 'gi')
const INVISIBLE_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|\shidden(?:\s|>|=|$)|aria-hidden\s*=\s*["']?true|color\s*[:=]\s*["']?(?:white|#fff\b|#ffffff|transparent)/i
// A directive for a tool (`prettier-ignore`, `markdownlint-disable MD013`) is not prose aimed at anyone.
const PROSE = /[a-z]{2,}[\s,.:;]+[a-z]{2,}[\s,.:;]+[a-z]{2,}/i

/** Comments are found with indexOf, not a regular expression: an unclosed `<!--` then costs one pass. */
function comments(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = []
  let from = 0
  for (;;) {
    const open = text.indexOf('<!--', from)
    if (open === -1) break
    const close = text.indexOf('-->', open + 4)
    const end = close === -1 ? text.length : close + 3
    spans.push([open, end])
    from = end
  }

  return spans
}

export const hiddenComment: TextRule = {
  meta,
  check(subject: Subject): Hit[] {
    const {text} = subject
    const hits: Hit[] = []
    const push = (start: number, end: number, message: string): void => {
      hits.push({rule: meta.id, technique: meta.technique, severity: meta.severity, message, start, end})
    }

    if (text.includes('<!--')) {
      for (const [start, end] of comments(text)) {
        const inside = text.slice(start + 4, end).replace(/-->$/, '')
        if (PROSE.test(inside)) push(start, end, `An HTML comment hides text from the person reading this: "${excerptOf(inside.trim())}".`)
      }
    }

    if (text.includes(']:')) {
      MARKDOWN_COMMENT.lastIndex = 0
      for (const match of text.matchAll(MARKDOWN_COMMENT)) push(match.index, match.index + match[0].length, `A Markdown comment hides text from the person reading this: "${excerptOf(match[0])}".`)
    }

    if (text.includes('<')) {
      TAG.lastIndex = 0
      for (const match of text.matchAll(TAG)) {
        if (INVISIBLE_STYLE.test(match[0])) push(match.index, match.index + match[0].length, `An element styled to be invisible hides what follows it: "${excerptOf(match[0])}".`)
      }
    }

    return hits.slice(0, 3)
  },
}
