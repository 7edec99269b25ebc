import {canonicalJson} from '../digest.js'

/**
 * How alike two tool definitions are, to catch a rug pull under a new name: a pinned tool leaves
 * the listing and a new one arrives with (nearly) its definition, or with a description that quotes
 * it. Both are measured on word pairs (2-shingles) of the text a model reads, lower-cased:
 *
 * - `renamed`: the Jaccard index of the two definitions' word pairs (title, description and schemas,
 *   the name left out), |A ∩ B| / |A ∪ B|;
 * - `quotes`: the share of the removed tool's description word pairs found in the new definition,
 *   |A ∩ B| / |A|, counted only for a description of at least MIN_QUOTED pairs (short ones such as
 *   "Lists files." would be found everywhere).
 *
 * Word pairs rather than single words: honest tools of one server share vocabulary (path, file,
 * string), far less often whole phrases. Each text is read once into a set: linear in its length.
 */
/** The parts of a tool definition compared (a pin's ToolDefinition has them). */
export interface ComparedDefinition {
  /** Left out of the comparison: a rename changes it by definition. */
  name?: string
  title?: string
  description?: string
  inputSchema?: unknown
  outputSchema?: unknown
  annotations?: unknown
}

export interface Likeness {
  how: 'quotes' | 'renamed'
  /** 0 to 1. */
  score: number
}

/** At or above this a new tool is taken for a removed one: one word changed in a 20-word definition still scores about 0.8. */
export const RENAME_THRESHOLD = 0.7
export const MIN_QUOTED = 6

const WORD = /[\p{L}\p{N}]+/gu

/** The distinct word pairs of a text (the words themselves when there is only one). */
export function wordPairs(text: string): Set<string> {
  const words = text.toLowerCase().match(WORD) ?? []
  const pairs = new Set<string>()
  if (words.length === 1) pairs.add(words[0])
  for (let i = 1; i < words.length; i++) pairs.add(`${words[i - 1]} ${words[i]}`)
  return pairs
}

function shared(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let count = 0
  for (const pair of small) if (large.has(pair)) count++
  return count
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0
  const both = shared(a, b)
  return both / (a.size + b.size - both)
}

/** The share of `part` found in `whole`. */
export function containment(part: ReadonlySet<string>, whole: ReadonlySet<string>): number {
  return part.size === 0 ? 0 : shared(part, whole) / part.size
}

/** What a model reads of a definition, without its name. */
function definitionText(tool: ComparedDefinition): string {
  const {title, description, inputSchema, outputSchema, annotations} = tool
  return [title, description, ...[inputSchema, outputSchema, annotations].map((part) => (part === undefined ? '' : canonicalJson(part)))].filter((part) => typeof part === 'string').join('\n')
}

/** How alike `now` is to `removed`: a rename when the definitions are alike, else how much of it `now` quotes. */
export function likenessOf(removed: ComparedDefinition, now: ComparedDefinition): Likeness {
  const nowPairs = wordPairs(definitionText(now))
  const renamed = jaccard(wordPairs(definitionText(removed)), nowPairs)
  if (renamed >= RENAME_THRESHOLD) return {how: 'renamed', score: renamed}
  const quoted = wordPairs(typeof removed.description === 'string' ? removed.description : '')
  const quotes = quoted.size >= MIN_QUOTED ? containment(quoted, nowPairs) : 0
  return quotes > renamed ? {how: 'quotes', score: quotes} : {how: 'renamed', score: renamed}
}
