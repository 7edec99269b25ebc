import {dirname} from 'node:path'

import type {ClientAdapter, ConfigLocation, ServerEntry} from '../clients/types.js'
import {parseGovernedLaunch} from '../clients/governed.js'
import {scanMachine} from '../discovery/machine.js'
import {readConfigFile} from '../discovery/read-config.js'
import type {Host} from '../host.js'
import {checkClients, globTail, selectTargets} from '../wrap/targets.js'
import type {Launch, ServerUse} from './types.js'

/** One server to scan and every client entry that reaches it. */
export interface ScanTarget {
  name: string
  launch: Launch | {skip: string}
  uses: ServerUse[]
}

export interface Selection {
  files: string[]
  clients: string[]
  servers: string[]
}

/**
 * The servers to scan: every config discover finds on the machine (the same reads `wrap` uses), or
 * the named files, narrowed to `--client` and `--server`. Entries that launch the same thing are
 * one server, scanned once, with each client that reaches it.
 */
export async function selectServers(host: Host, selection: Selection): Promise<ScanTarget[]> {
  const reads: Array<{adapter: ClientAdapter; location: ConfigLocation; servers: ServerEntry[]}> = []
  if (selection.files.length > 0) {
    const {targets} = await selectTargets(host, {files: selection.files, clients: selection.clients, all: false})
    for (const target of targets) {
      for (const {adapter, location} of target.readers) {
        const read = await readConfigFile(adapter, {...location, path: target.file})
        if (read) reads.push(read)
      }
    }
  } else {
    const chosen = checkClients(selection.clients)
    for (const read of await scanMachine(host)) if (chosen.length === 0 || chosen.includes(read.adapter)) reads.push(read)
  }

  const byKey = new Map<string, ScanTarget>()
  for (const read of reads) {
    for (const entry of read.servers) {
      if (!entry.enabled) continue
      const {name, launch, wrapped} = launchOf(entry, host, read.location.scope === 'project' ? projectRoot(read.adapter, read.location.path) : undefined)
      if (selection.servers.length > 0 && !selection.servers.includes(name) && !selection.servers.includes(entry.name)) continue
      const key = JSON.stringify([name, launch])
      const target = byKey.get(key) ?? {name, launch, uses: []}
      const use: ServerUse = {client: read.adapter.id, clientName: read.adapter.name, file: read.location.path, scope: entry.scope ?? read.location.scope, entry: entry.name, wrapped}
      if (!target.uses.some((u) => u.client === use.client && u.file === use.file && u.entry === use.entry)) target.uses.push(use)
      byKey.set(key, target)
    }
  }

  return [...byKey.values()]
}

/**
 * What the client would start or connect to. A wrapped entry is scanned as the server it wraps
 * (the command after `--`, or the proxy's `--upstream-url` and `--header`s), under the name the
 * proxy pins it by.
 */
export function launchOf(entry: ServerEntry, host: Pick<Host, 'home'>, project?: string): {name: string; launch: ScanTarget['launch']; wrapped: boolean} {
  const governed = parseGovernedLaunch(entry.command, entry.args)
  const name = governed?.server ?? entry.name
  if (governed?.upstreamUrl) {
    const transport = optionValues(governed.rest, '--transport')[0] === 'sse' ? 'sse' : 'http'
    return {name, wrapped: true, launch: {transport, url: governed.upstreamUrl, headers: headerPairs(optionValues(governed.rest, '--header'))}}
  }

  if (governed) {
    if (governed.inner.length === 0) return {name, wrapped: true, launch: {skip: 'the wrapped entry names no server command after --'}}
    return {name, wrapped: true, launch: stdio(entry, governed.inner[0], governed.inner.slice(1), host, project)}
  }

  if (entry.transport === 'stdio' && entry.command) return {name, wrapped: false, launch: stdio(entry, entry.command, entry.args ?? [], host, project)}
  if ((entry.transport === 'http' || entry.transport === 'sse') && entry.url) {
    return {name, wrapped: false, launch: {transport: entry.transport, url: entry.url, headers: {...entry.headers}}}
  }

  return {name, wrapped: false, launch: {skip: entry.transport === 'ws' ? 'WebSocket servers are not scanned' : 'the entry names no command or URL'}}
}

/**
 * Clients start a server in the project it belongs to, or their own folder; the scan uses the
 * entry's cwd, its project (Claude Code's local scope, or the repository a project file sits in),
 * or the home.
 */
function stdio(entry: ServerEntry, command: string, args: string[], host: Pick<Host, 'home'>, project: string | undefined): Launch {
  return {transport: 'stdio', command, args, cwd: entry.cwd ?? entry.project ?? project ?? host.home, env: {...entry.env}}
}

/** The repository a project config file belongs to: its path without the client's project-file tail (`.cursor/mcp.json`). */
function projectRoot(adapter: ClientAdapter, file: string): string | undefined {
  const posix = file.replaceAll('\\', '/')
  const config = adapter.projectConfigs.find((p) => globTail(p.path).test(posix))
  if (!config) return undefined
  let root = file
  for (let n = config.path.split('/').length; n > 0; n--) root = dirname(root)
  return root
}

function optionValues(rest: readonly string[], flag: string): string[] {
  const end = rest.indexOf('--')
  const options = end === -1 ? rest : rest.slice(0, end)
  const values: string[] = []
  for (let i = 0; i < options.length; i++) {
    if (options[i] === flag && i + 1 < options.length) values.push(options[++i])
    else if (options[i].startsWith(`${flag}=`)) values.push(options[i].slice(flag.length + 1))
  }

  return values
}

function headerPairs(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const value of values) {
    const at = value.indexOf('=')
    if (at > 0) headers[value.slice(0, at)] = value.slice(at + 1)
  }

  return headers
}
