import {skeleton} from './catalogue/confusables.js'
import {WELL_KNOWN_TOOLS} from './catalogue/well-known-tools.js'
import type {DetectContext} from './rule.js'

const SNAKE = /^[a-z0-9_]*$/

/** `slack_post_message`, `slackPostMessage`, `slack-post-message` → `slack_post_message`. */
export function normaliseName(name: string): string {
  // Most names are already snake case: one test instead of three rewrites.
  if (SNAKE.test(name)) return name
  return name
    .replaceAll(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replaceAll(/[\s.-]+/g, '_')
}

const WELL_KNOWN = new Set(WELL_KNOWN_TOOLS.map(normaliseName))

export interface ComparedName {
  name: string
  skeleton: string
  whose: string
}

const WELL_KNOWN_COMPARED: readonly ComparedName[] = [...WELL_KNOWN].map((name) => ({name, skeleton: skeleton(name), whose: 'a well-known tool'}))
const otherMemo = new WeakMap<object, ComparedName[]>()

/** Every name the name rules compare with: well-known tools and the other servers' tools, with who owns them (computed once per list). */
export function comparedNames(context: DetectContext): readonly ComparedName[] {
  const others = context.otherTools
  if (!others || others.length === 0) return WELL_KNOWN_COMPARED
  let compared = otherMemo.get(others)
  if (!compared) {
    compared = [...WELL_KNOWN_COMPARED, ...others.map(({server, tool}) => ({name: normaliseName(tool), skeleton: skeleton(tool), whose: `a tool of server "${server}"`}))]
    otherMemo.set(others, compared)
  }

  return compared
}

export function isWellKnown(name: string): boolean {
  return WELL_KNOWN.has(normaliseName(name))
}

// Rows reused across calls: the distance runs for many names per tool.
let rowA = new Int32Array(64)
let rowB = new Int32Array(64)
let rowC = new Int32Array(64)

/** Optimal string alignment distance (Damerau: a swap of neighbours costs 1), stopping above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  const n = b.length
  if (Math.abs(a.length - n) > limit) return limit + 1
  if (n + 1 > rowA.length) {
    rowA = new Int32Array(n + 1)
    rowB = new Int32Array(n + 1)
    rowC = new Int32Array(n + 1)
  }

  let before = rowA
  let previous = rowB
  let current = rowC
  for (let j = 0; j <= n; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    const ai = a.charCodeAt(i - 1)
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1
    current[0] = i
    let best = i
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1)
      let value = previous[j - 1] + (ai === bj ? 0 : 1)
      if (previous[j] + 1 < value) value = previous[j] + 1
      if (current[j - 1] + 1 < value) value = current[j - 1] + 1
      if (j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj && before[j - 2] + 1 < value) value = before[j - 2] + 1
      current[j] = value
      if (value < best) best = value
    }

    if (best > limit) return limit + 1
    const spare = before
    before = previous
    previous = current
    current = spare
  }

  return previous[n]
}

const ownMemo = new WeakMap<object, Set<string>>()

/** The server's own tool names, normalised (computed once per list). */
export function ownNames(context: DetectContext): ReadonlySet<string> {
  const own = context.ownTools
  if (!own) return new Set()
  let names = ownMemo.get(own)
  if (!names) {
    names = new Set(own.map(normaliseName))
    ownMemo.set(own, names)
  }

  return names
}

const byEndsMemo = new WeakMap<readonly ComparedName[], {first: Map<number, number[]>; last: Map<string, number[]>}>()

/**
 * Compared names that start with the same letter as `name` or end with its last three letters, in
 * catalogue order: a misspelling keeps one of the two, so only these need an edit distance.
 */
export function sameEnds(context: DetectContext, name: string): ComparedName[] {
  const compared = comparedNames(context)
  let index = byEndsMemo.get(compared)
  if (!index) {
    index = {first: new Map(), last: new Map()}
    for (const [i, {name: other}] of compared.entries()) {
      push(index.first, other.charCodeAt(0), i)
      push(index.last, other.slice(-3), i)
    }

    byEndsMemo.set(compared, index)
  }

  const a = index.first.get(name.charCodeAt(0)) ?? []
  const b = name.length >= 3 ? (index.last.get(name.slice(-3)) ?? []) : []
  // Both lists are in catalogue order: merge them, each name once.
  const out: ComparedName[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j]
    if (i < a.length && a[i] === next) i++
    if (j < b.length && b[j] === next) j++
    out.push(compared[next])
  }

  return out
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const bySkeletonMemo = new WeakMap<readonly ComparedName[], Map<string, ComparedName[]>>()

/** Compared names with a given skeleton. */
export function sameSkeleton(context: DetectContext, shape: string): readonly ComparedName[] {
  const compared = comparedNames(context)
  let index = bySkeletonMemo.get(compared)
  if (!index) {
    index = new Map()
    for (const entry of compared) index.set(entry.skeleton, [...(index.get(entry.skeleton) ?? []), entry])
    bySkeletonMemo.set(compared, index)
  }

  return index.get(shape) ?? []
}
