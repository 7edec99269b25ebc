import type {ConfigRead} from '../discovery/read-config.js'
import type {Target} from './targets.js'

export interface WrapWarning {
  file: string
  line?: number
  message: string
}

/**
 * What may block or re-prompt a rewritten entry, said before anything is written: an admin allow-list
 * of the same client that matches literal commands or URLs, and project files a client gates by trust.
 */
export function wrapWarnings(targets: readonly Target[], machine: readonly ConfigRead[]): WrapWarning[] {
  const clients = new Set(targets.flatMap((t) => t.readers.map((r) => r.adapter.id)))
  const warnings: WrapWarning[] = []
  for (const read of machine) {
    const allow = read.facts?.allowList
    if (!allow || !clients.has(read.adapter.id)) continue
    warnings.push({file: read.location.path, ...(allow.line && {line: allow.line}), message: `${allow.description}.`})
  }

  for (const target of targets) {
    for (const {adapter, location} of target.readers) {
      const gate = adapter.rewrite?.trustGate
      if (gate && location.scope === 'project') warnings.push({file: target.file, message: `${gate}.`})
    }
  }

  return warnings
}
