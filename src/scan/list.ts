import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {SSEClientTransport} from '@modelcontextprotocol/sdk/client/sse.js'
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js'
import {ResultSchema} from '@modelcontextprotocol/sdk/types.js'

import {VERSION} from '../version.js'
import {ServerProcess} from './child.js'
import {HttpError, httpRpc, isJson, type Json, type Rpc, RpcError, stdioRpc} from './rpc.js'
import type {Launch} from './types.js'

export const MODERN = '2026-07-28'
const PROBE_MS = 5000
/** A server that keeps handing out cursors is cut off here (and the listing says so). */
const MAX_PAGES = 100
const CLIENT_INFO = {name: 'agentgov-scan', version: VERSION}

export interface Listing {
  era: 'legacy' | 'modern'
  protocolVersion?: string
  serverInfo?: {name?: string; version?: string}
  tools: Json[]
  prompts: Json[]
  resources: Json[]
  resourceTemplates: Json[]
}

/** The four lists, the method that pages through each, the result key, and the capability that announces it. */
const LISTS = [
  {key: 'tools', method: 'tools/list', capability: 'tools'},
  {key: 'prompts', method: 'prompts/list', capability: 'prompts'},
  {key: 'resources', method: 'resources/list', capability: 'resources'},
  {key: 'resourceTemplates', method: 'resources/templates/list', capability: 'resources'},
] as const

/** The per-request envelope of the modern era (a scan declares no client capabilities: it answers nothing). */
function modernMeta(): Json {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': {},
    'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
  }
}

/** One connection to list: the caller stops it whatever happens (done, failed or timed out). */
export interface Connection {
  listing: Promise<Listing>
  stop(): Promise<void>
}

/**
 * Start (or reach) one server and list everything it offers, in whichever era it speaks. Only list
 * methods are sent: never a tool call, a prompt get or a resource read.
 */
export function connect(launch: Launch, env: NodeJS.ProcessEnv): Connection {
  if (launch.transport === 'stdio') {
    const server = new ServerProcess(launch.command, launch.args, {cwd: launch.cwd, env: {...env, ...launch.env}})
    const listing = (async () => {
      const discovered = await probe(stdioRpc(server))
      if (discovered) return modernListing(stdioRpc(server), discovered)
      const client = new Client(CLIENT_INFO, {capabilities: {}})
      await Promise.race([client.connect(server), server.ended.then((reason) => Promise.reject(new Error(reason)))])
      return legacyListing(client, server.ended)
    })().catch(async (error: unknown) => {
      // A server that died says more in its exit and stderr than the client's "connection closed".
      const ended = await Promise.race([server.ended, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200))])
      throw ended ? new Error(ended) : error
    })
    return {listing, stop: () => server.stop()}
  }

  const aborted = new AbortController()
  let transport: Transport | undefined
  const listing = (async () => {
    const rpc = httpRpc(launch.url, launch.headers, MODERN, aborted.signal)
    const discovered = await probe(rpc)
    if (discovered) return modernListing(rpc, discovered)
    const requestInit = {headers: launch.headers}
    transport = launch.transport === 'sse' ? new SSEClientTransport(new URL(launch.url), {requestInit}) : new StreamableHTTPClientTransport(new URL(launch.url), {requestInit})
    const client = new Client(CLIENT_INFO, {capabilities: {}})
    await client.connect(transport)
    return legacyListing(client, new Promise<string>(() => {}))
  })()
  return {
    listing,
    async stop() {
      aborted.abort()
      await transport?.close().catch(() => {})
    },
  }
}

/**
 * The era, the spec's way: `server/discover` first; a DiscoverResult naming 2026-07-28 means
 * modern; a modern error naming other versions means a modern server the scan cannot speak to;
 * any other error, or silence, means legacy.
 */
async function probe(rpc: Rpc): Promise<Json | undefined> {
  let timer: NodeJS.Timeout | undefined
  const silence = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), PROBE_MS)
  })
  try {
    const result = await Promise.race([rpc.request('server/discover', {_meta: modernMeta()}), silence])
    if (!result) return undefined
    const versions = Array.isArray(result.supportedVersions) ? result.supportedVersions.map(String) : []
    if (versions.includes(MODERN)) return result
    if (versions.length > 0) throw new Error(`it speaks only protocol ${versions.join(', ')}, which agentgov scan does not`)
    return undefined
  } catch (error) {
    if (error instanceof RpcError && error.code === -32_022) {
      const supported = (error.data as {supported?: unknown} | undefined)?.supported
      throw new Error(`it speaks only protocol ${Array.isArray(supported) ? supported.join(', ') : 'versions'} agentgov scan does not (${error.message})`)
    }

    if (error instanceof RpcError) return undefined
    if (error instanceof HttpError && error.refused) throw new Error(`it refused the scan: ${error.message} (check the headers its config gives it)`)
    // A process that died while probed: the legacy attempt would fail the same way, with less said.
    if (error instanceof Error && error.message.startsWith('the server ended')) throw error
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

async function modernListing(rpc: Rpc, discovered: Json): Promise<Listing> {
  const capabilities = isJson(discovered.capabilities) ? discovered.capabilities : {}
  const meta = isJson(discovered._meta) ? discovered._meta : {}
  const info = meta['io.modelcontextprotocol/serverInfo']
  const listing: Listing = {era: 'modern', protocolVersion: MODERN, serverInfo: isJson(info) ? pickInfo(info) : undefined, tools: [], prompts: [], resources: [], resourceTemplates: []}
  for (const list of LISTS) {
    if (!(list.capability in capabilities)) continue
    listing[list.key] = await allPages(list.key, (cursor) => rpc.request(list.method, {...(cursor === undefined ? {} : {cursor}), _meta: modernMeta()}))
  }

  return listing
}

async function legacyListing(client: Client, ended: Promise<string>): Promise<Listing> {
  const capabilities = (client.getServerCapabilities() ?? {}) as Json
  const version = client.getServerVersion()
  const listing: Listing = {
    era: 'legacy',
    protocolVersion: (client.transport as {protocolVersion?: string} | undefined)?.protocolVersion,
    serverInfo: version ? pickInfo(version as unknown as Json) : undefined,
    tools: [],
    prompts: [],
    resources: [],
    resourceTemplates: [],
  }
  const died = ended.then((reason) => Promise.reject(new Error(`it ended while listing: ${reason}`)))
  died.catch(() => {})
  for (const list of LISTS) {
    if (!(list.capability in capabilities)) continue
    // The loosest result schema: a scanner must see a malformed definition, not refuse the whole list.
    const page = (cursor: string | undefined) => Promise.race([client.request({method: list.method, params: cursor === undefined ? {} : {cursor}}, ResultSchema), died]) as Promise<Json>
    listing[list.key] = await allPages(list.key, page)
  }

  return listing
}

const METHOD_NOT_FOUND = -32_601

/**
 * Every page of one list, following `nextCursor` (a repeated cursor or too many pages ends it with
 * an error). A server that announces resources but has no `resources/templates/list` (common)
 * answers it -32601: that list is empty, not the whole server a failure.
 */
async function allPages(key: string, page: (cursor: string | undefined) => Promise<Json>): Promise<Json[]> {
  const items: Json[] = []
  const seen = new Set<string>()
  let cursor: string | undefined
  for (let n = 0; n < MAX_PAGES; n++) {
    let result: Json
    try {
      result = await page(cursor)
    } catch (error) {
      if (cursor === undefined && errorCode(error) === METHOD_NOT_FOUND) return items
      throw error
    }

    const found = result[key]
    if (Array.isArray(found)) for (const item of found) if (isJson(item)) items.push(item)
    const nextCursor = result.nextCursor
    if (typeof nextCursor !== 'string' || nextCursor === '') return items
    if (seen.has(nextCursor)) throw new Error(`its ${key} list repeats the cursor ${JSON.stringify(nextCursor.slice(0, 40))}`)
    seen.add(nextCursor)
    cursor = nextCursor
  }

  throw new Error(`its ${key} list has more than ${MAX_PAGES} pages`)
}

/** The JSON-RPC code of an error answer, from either client (the SDK's McpError or the raw RpcError). */
function errorCode(error: unknown): number | undefined {
  const code = (error as {code?: unknown} | undefined)?.code
  return typeof code === 'number' ? code : undefined
}

function pickInfo(info: Json): {name?: string; version?: string} {
  return {...(typeof info.name === 'string' && {name: info.name}), ...(typeof info.version === 'string' && {version: info.version})}
}
