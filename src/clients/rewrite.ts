import {getIn, isRecord, stringArray} from './server-map.js'
import type {RewriteSpec, ServerEntry} from './types.js'

export type {RewriteSpec} from './types.js'

/** The common case: `command`/`args`, remote entries under `url` with `headers`. */
export function commandArgs(extra: Partial<RewriteSpec> = {}): RewriteSpec {
  return {launch: 'command-args', stdioType: 'stdio', remoteKeys: ['url', 'headers'], ...extra}
}

export type EntryEdit = {op: 'delete'; key: string[]} | {op: 'set'; key: string[]; value: unknown; after?: string}

export type EntryPlan = {edits: EntryEdit[]; kind: 'remote' | 'stdio'} | {skip: string}

/** Proxy arguments that carry a remote server: URL, transport and headers (tokens kept verbatim). */
export function upstreamArgs(entry: ServerEntry): string[] | string {
  if (!entry.url) return 'it has no URL'
  if (entry.transport !== 'http' && entry.transport !== 'sse') return `the proxy cannot carry a ${entry.transport} transport`
  const headers = Object.entries(entry.headers ?? {}).flatMap(([key, value]) => ['--header', `${key}=${value}`])
  return ['--upstream-url', entry.url, ...headers, '--transport', entry.transport]
}

/**
 * The edits that make one entry launch `proxyArgv(inner)` instead, in the client's own shape.
 * `raw` is the entry's parsed value; nothing is added that the client would not accept.
 */
export function planEntry(
  spec: RewriteSpec,
  raw: unknown,
  entry: ServerEntry,
  proxyArgv: (tail: string[]) => string[],
): EntryPlan {
  if (!isRecord(raw)) return {skip: 'the entry is not an object'}
  if (entry.transport === 'stdio' && entry.command) return {kind: 'stdio', edits: stdioEdits(spec, raw, proxyArgv(['--', entry.command, ...(entry.args ?? [])]))}
  if (entry.transport === 'stdio' || entry.transport === 'unknown') return {skip: 'it names no command or URL in this file that the client would run'}

  for (const [key, reason] of Object.entries(spec.clientAuth ?? {})) {
    // `oauth: false` (OpenCode) says the client does no sign-in: no reason to keep the entry.
    const value = getIn(raw, key.split('.'))
    if (value !== undefined && value !== false) return {skip: reason}
  }

  const upstream = upstreamArgs(entry)
  if (typeof upstream === 'string') return {skip: upstream}
  const edits: EntryEdit[] = []
  for (const key of spec.remoteKeys) {
    if (getIn(raw, key.split('.')) !== undefined) edits.push({op: 'delete', key: key.split('.')})
  }

  if (spec.stdioType === null) {
    if ('type' in raw) edits.push({op: 'delete', key: ['type']})
  } else {
    edits.push({op: 'set', key: ['type'], value: spec.stdioType})
  }

  const argv = proxyArgv(upstream)
  if (spec.launch === 'argv') edits.push({op: 'set', key: ['command'], value: argv})
  else {
    const commandKey = spec.launch === 'cmd-args' ? 'cmd' : 'command'
    edits.push({op: 'set', key: [commandKey], value: argv[0]}, {op: 'set', key: ['args'], value: argv.slice(1), after: commandKey})
  }

  return {kind: 'remote', edits}
}

function stdioEdits(spec: RewriteSpec, raw: Record<string, unknown>, argv: string[]): EntryEdit[] {
  if (spec.launch === 'argv') return [{op: 'set', key: ['command'], value: argv}]
  // Zed's legacy custom server keeps the launch in `command: {path, args, env}`.
  if (spec.launch === 'command-args' && isRecord(raw.command)) {
    return [
      {op: 'set', key: ['command', 'path'], value: argv[0]},
      {op: 'set', key: ['command', 'args'], value: argv.slice(1), after: 'path'},
    ]
  }

  const commandKey = spec.launch === 'cmd-args' ? 'cmd' : 'command'
  return [
    {op: 'set', key: [commandKey], value: argv[0]},
    {op: 'set', key: ['args'], value: argv.slice(1), after: commandKey},
  ]
}

/**
 * The edits that put an inner launch back in place of a governed one, for an entry agentgov holds no
 * record of (wrapped by another agentgov or by hand). Only stdio launches can be rebuilt this way.
 */
export function unplanEntry(spec: RewriteSpec, raw: unknown, inner: string[]): EntryEdit[] | undefined {
  if (!isRecord(raw) || inner.length === 0) return undefined
  if (spec.launch === 'argv') return [{op: 'set', key: ['command'], value: inner}]
  const [command, ...args] = inner
  if (spec.launch === 'command-args' && isRecord(raw.command)) {
    return [
      {op: 'set', key: ['command', 'path'], value: command},
      {op: 'set', key: ['command', 'args'], value: args},
    ]
  }

  return [
    {op: 'set', key: [spec.launch === 'cmd-args' ? 'cmd' : 'command'], value: command},
    {op: 'set', key: ['args'], value: args},
  ]
}

/** The argv an entry launches, read back in the client's shape (for checks after a rewrite). */
export function launchOf(spec: RewriteSpec, raw: unknown): string[] | undefined {
  if (!isRecord(raw)) return undefined
  if (spec.launch === 'argv') return stringArray(raw.command)
  const launch = spec.launch === 'command-args' && isRecord(raw.command) ? raw.command : raw
  const command = launch[spec.launch === 'cmd-args' ? 'cmd' : spec.launch === 'command-args' && isRecord(raw.command) ? 'path' : 'command']
  return typeof command === 'string' ? [command, ...(stringArray(launch.args) ?? [])] : undefined
}
