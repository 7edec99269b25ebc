import {sep} from 'node:path'

import fg from 'fast-glob'

import {CLIENTS} from '../clients/index.js'
import type {ClientAdapter, ConfigLocation} from '../clients/types.js'
import type {Host} from '../host.js'
import {type ConfigRead, readConfigFile} from './read-config.js'

/**
 * Every client config on the machine (user, local, managed, system and extension scope) for the
 * host's OS conventions. Files that do not exist are skipped quietly; unreadable or malformed ones
 * come back as records with a status, so the scan always goes on.
 */
export async function scanMachine(host: Host, clients: readonly ClientAdapter[] = CLIENTS): Promise<ConfigRead[]> {
  const jobs: Array<Promise<ConfigRead | undefined>> = []
  const seen = new Set<string>()
  for (const adapter of clients) {
    for (const location of adapter.machineConfigs(host)) {
      for (const path of await expand(location.path)) {
        const key = `${adapter.id}\0${path}`
        if (seen.has(key)) continue
        seen.add(key)
        jobs.push(readConfigFile(adapter, {...location, path}))
      }
    }
  }

  const reads = await Promise.all(jobs)
  return reads.filter((read): read is ConfigRead => read !== undefined)
}

async function expand(path: ConfigLocation['path']): Promise<string[]> {
  // Adapters write globs only in the tail of a path; the literal base (which may hold spaces or
  // parentheses, "Application Support", "Code - Insiders") is used as cwd so nothing needs escaping.
  const segments = path.split(/[\\/]/)
  const first = segments.findIndex((segment) => /[*?[\]{}]/.test(segment))
  if (first === -1) return [path]
  const base = segments.slice(0, first).join(sep) || sep
  return fg(segments.slice(first).join('/'), {
    cwd: base,
    absolute: true,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    // Bounded so a large plugin tree cannot stall the scan.
    deep: 8,
    suppressErrors: true,
    ignore: ['**/node_modules/**'],
  })
}
