import {WELL_KNOWN_TOOLS} from './catalogue/well-known-tools.js'
import type {DetectContext} from './rule.js'

/** `slack_post_message`, `slackPostMessage`, `slack-post-message` → `slack_post_message`. */
export function normaliseName(name: string): string {
  return name
    .replaceAll(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replaceAll(/[\s.-]+/g, '_')
}

const WELL_KNOWN = new Set(WELL_KNOWN_TOOLS.map(normaliseName))

/** Every name the name rules compare with: well-known tools and the other servers' tools, with who owns them. */
export function comparedNames(context: DetectContext): Map<string, string> {
  const names = new Map<string, string>()
  for (const name of WELL_KNOWN) names.set(name, 'a well-known tool')
  for (const {server, tool} of context.otherTools ?? []) names.set(normaliseName(tool), `a tool of server "${server}"`)
  return names
}

export function isWellKnown(name: string): boolean {
  return WELL_KNOWN.has(normaliseName(name))
}

/** Optimal string alignment distance (Damerau: a swap of neighbours costs 1), stopping above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let before = new Array<number>(b.length + 1).fill(0)
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1)
      current.push(value)
      best = Math.min(best, value)
    }

    if (best > limit) return limit + 1
    before = previous
    previous = current
  }

  return previous[b.length]
}
