import {canonicalJson} from '../digest.js'
import type {ToolDefinition} from './pins.js'

export interface DiffPart {
  op: 'added' | 'removed' | 'same'
  /** Invisible and control characters spelt out (`<U+200B>`, `\n`): safe for a terminal, and seen. */
  text: string
}

export interface FieldDiff {
  field: keyof ToolDefinition
  parts: DiffPart[]
}

// Control (Cc), format (Cf: zero-width, bidi, tag characters), line and paragraph separators,
// variation selectors and the other default-ignorable code points that render as nothing.
// Combining ones are alternatives of their own: in a class they would combine with their neighbours.
const INVISIBLE = new RegExp(
  [String.raw`[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u{E0000}-\u{E0FFF}]`, String.raw`\u034F`, String.raw`[\u17B4\u17B5]`, String.raw`[\u180B-\u180F]`, String.raw`[\uFE00-\uFE0F]`, String.raw`[\u{1D173}-\u{1D17A}]`].join('|'),
  'gu',
)
const NAMED: Record<string, string> = {'\n': String.raw`\n`, '\r': String.raw`\r`, '\t': String.raw`\t`}

/** The text with every invisible or control character spelt out, so a person sees it and a terminal acts on none. */
export function visibleText(text: string): string {
  return text.replaceAll(INVISIBLE, (char) => NAMED[char] ?? `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`)
}

// Words, runs of white space, and JSON punctuation on its own (schemas are diffed as compact JSON).
const TOKEN = /\s+|[^\s{}[\]",:]+|[{}[\]",:]/gu
/** Past this many cells the middle of a diff is shown as removed then added, not aligned word by word. */
const MAX_CELLS = 1_000_000

/**
 * A word-level diff: the common start and end are kept, the middle aligned by a longest common
 * subsequence of tokens (bounded: a huge change is shown whole). Parts of one kind are merged.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = before.match(TOKEN) ?? []
  const b = after.match(TOKEN) ?? []
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }

  const parts: DiffPart[] = []
  const push = (op: DiffPart['op'], token: string) => {
    const last = parts.at(-1)
    if (last?.op === op) last.text += token
    else parts.push({op, text: token})
  }

  for (const token of a.slice(0, start)) push('same', token)
  middle(a.slice(start, endA), b.slice(start, endB), push)
  for (const token of a.slice(endA)) push('same', token)
  return parts.map((part) => ({op: part.op, text: visibleText(part.text)}))
}

function middle(a: string[], b: string[], push: (op: DiffPart['op'], token: string) => void): void {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    for (const token of a) push('removed', token)
    for (const token of b) push('added', token)
    return
  }

  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], in one flat array.
  const width = b.length + 1
  const lcs = new Uint32Array((a.length + 1) * width)
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1])
    }
  }

  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push('same', a[i++])
      j++
    } else if (i < a.length && (j === b.length || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
      push('removed', a[i++])
    } else {
      push('added', b[j++])
    }
  }
}

const FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const

function fieldText(value: unknown): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : canonicalJson(value)
}

/** What changed from one definition to another, field by field (unchanged fields left out). */
export function definitionDiff(before: ToolDefinition, after: ToolDefinition): FieldDiff[] {
  const diffs: FieldDiff[] = []
  for (const field of FIELDS) {
    const was = fieldText(before[field])
    const now = fieldText(after[field])
    if (was !== now) diffs.push({field, parts: wordDiff(was, now)})
  }

  return diffs
}
