import type {ConfigDocument, DocPath} from '../config/document.js'
import type {ServerEntry, Transport} from './types.js'

/**
 * Most clients keep servers as a map of name -> {command, args, env, url, headers, …} and differ only
 * in key names. An adapter describes its variant with these options instead of writing a parser.
 */
export interface ServerMapOptions {
  /** Keys that may hold a remote URL, first match wins (Windsurf `serverUrl`, Gemini `httpUrl`). */
  urlKeys?: string[]
  /** Transport of a URL with no `type`: Cline treats it as SSE, most others as streamable HTTP. */
  untypedUrl?: Transport
  /** Keys that turn an entry off when true (`disabled`) or on when false (`enabled`). */
  disabledKey?: string
  enabledKey?: string
  /** Keys listing auto-approved tools (`autoApprove`, `alwaysAllow`). */
  autoApproveKeys?: string[]
  /** A boolean key meaning every tool is trusted (Gemini `trust`). */
  trustKey?: string
  headersKeys?: string[]
  envKeys?: string[]
  /** `command` may be an object `{path, args, env}` (Zed's legacy custom context server). */
  commandObject?: boolean
}

const DEFAULTS: Required<Omit<ServerMapOptions, 'commandObject' | 'disabledKey' | 'enabledKey' | 'trustKey'>> = {
  urlKeys: ['url'],
  untypedUrl: 'http',
  autoApproveKeys: [],
  headersKeys: ['headers'],
  envKeys: ['env'],
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function stringArray(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.filter((item): item is string => typeof item === 'string' || typeof item === 'number').map(String)
}

export function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined
  const out: Record<string, string> = {}
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && item !== undefined) out[key] = typeof item === 'string' ? item : JSON.stringify(item)
  }

  return out
}

export function getIn(value: unknown, path: DocPath): unknown {
  let current = value
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key]
    else if (isRecord(current)) current = current[String(key)]
    else return undefined
  }

  return current
}

/** `type` values seen across clients, mapped to one vocabulary. */
export function transportFromType(type: unknown): Transport | undefined {
  if (typeof type !== 'string') return undefined
  const t = type.toLowerCase().replaceAll(/[-_\s]/g, '')
  if (t === 'stdio' || t === 'local' || t === 'command') return 'stdio'
  if (t === 'http' || t === 'streamablehttp' || t === 'remote' || t === 'streamable') return 'http'
  if (t === 'sse') return 'sse'
  if (t === 'ws' || t === 'websocket') return 'ws'
  return 'unknown'
}

/** Read one entry object in the common shape. */
export function readServerObject(
  name: string,
  raw: Record<string, unknown>,
  path: DocPath,
  doc: ConfigDocument,
  options: ServerMapOptions = {},
): ServerEntry {
  if (options.commandObject && isRecord(raw.command)) raw = flattenCommand(raw, raw.command)
  const o = {...DEFAULTS, ...options}
  const urlKey = o.urlKeys.find((key) => typeof raw[key] === 'string')
  const url = urlKey ? (raw[urlKey] as string) : undefined
  const command = typeof raw.command === 'string' ? raw.command : undefined
  const typed = transportFromType(raw.type)
  let transport: Transport = typed ?? (command ? 'stdio' : url ? o.untypedUrl : 'unknown')
  if (urlKey === 'httpUrl') transport = 'http'
  if (typed === 'unknown' && command) transport = 'stdio'

  const entry: ServerEntry = {
    name,
    path,
    transport,
    enabled: true,
    line: doc.lineOf(path),
  }
  if (command) entry.command = command
  const args = stringArray(raw.args)
  if (args) entry.args = args
  if (url) entry.url = url
  if (typeof raw.cwd === 'string') entry.cwd = raw.cwd
  const env = mergeRecords(o.envKeys.map((key) => stringRecord(raw[key])))
  if (env) entry.env = env
  const headers = mergeRecords(o.headersKeys.map((key) => stringRecord(getIn(raw, key.split('.')))))
  if (headers) entry.headers = headers
  if (options.disabledKey && raw[options.disabledKey] === true) entry.enabled = false
  if (options.enabledKey && raw[options.enabledKey] === false) entry.enabled = false
  const approved = o.autoApproveKeys.flatMap((key) => stringArray(raw[key]) ?? [])
  if (options.trustKey && raw[options.trustKey] === true) approved.unshift('*')
  if (approved.length > 0) entry.autoApprove = approved
  return entry
}

/** Read every entry of a `{name: entry}` map found at `mapPath`. Non-object entries are skipped. */
export function readServerMap(doc: ConfigDocument, mapPath: DocPath, options: ServerMapOptions = {}): ServerEntry[] {
  const map = getIn(doc.value, mapPath)
  if (!isRecord(map)) return []
  const servers: ServerEntry[] = []
  for (const [name, raw] of Object.entries(map)) {
    if (isRecord(raw)) servers.push(readServerObject(name, raw, [...mapPath, name], doc, options))
  }

  return servers
}

function flattenCommand(raw: Record<string, unknown>, launch: Record<string, unknown>): Record<string, unknown> {
  return {...raw, command: launch.path, args: launch.args, env: launch.env}
}

function mergeRecords(records: Array<Record<string, string> | undefined>): Record<string, string> | undefined {
  const present = records.filter((record): record is Record<string, string> => record !== undefined)
  if (present.length === 0) return undefined
  return Object.assign({}, ...present)
}
