// Test servers of both MCP eras and the clients that meet them: the 2.x SDK server in
// era-server.mjs (stdio or streamable HTTP), raw stdio and HTTP exchanges for what an SDK client
// hides (resultType, cache hints, error codes, headers), and 1.x / 2.x SDK clients.
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {join} from 'node:path'

import {Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2} from '@modelcontextprotocol/client'
import {StdioClientTransport as StdioTransportV2} from '@modelcontextprotocol/client/stdio'

export const ERA_SERVER = join(import.meta.dirname, 'era-server.mjs')
export const MODERN = '2026-07-28'
export type ServerEra = 'dual' | 'modern' | 'handwired'
export type Json = Record<string, unknown>

/** The per-request envelope a modern request carries in `params._meta`. */
export function modernMeta(version = MODERN, capabilities: Json = {}): Json {
  return {
    'io.modelcontextprotocol/protocolVersion': version,
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    'io.modelcontextprotocol/clientInfo': {name: 'raw-modern', version: '1.0.0'},
  }
}

/** A modern JSON-RPC request: params with the envelope merged into `_meta`. */
export function modernRequest(id: number | string, method: string, params: Json = {}, meta: Json = modernMeta()): Json {
  return {jsonrpc: '2.0', id, method, params: {...params, _meta: {...meta, ...(params._meta as Json | undefined)}}}
}

export interface RawStdio {
  child: ChildProcessWithoutNullStreams
  messages: Json[]
  /** Send one message and wait for the response with its id. */
  request(message: Json, timeoutMs?: number): Promise<Json>
  stderr(): string
  close(): void
}

/** era-server.mjs on stdio, driven line by line. */
export function rawStdio(era: ServerEra, env: Record<string, string> = {}): RawStdio {
  const child = spawn(process.execPath, [ERA_SERVER, '--transport', 'stdio', '--era', era], {env: {PATH: process.env.PATH ?? '', ...env}})
  const messages: Json[] = []
  const waiters = new Set<() => void>()
  let buffered = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    let newline = buffered.indexOf('\n')
    while (newline !== -1) {
      messages.push(JSON.parse(buffered.slice(0, newline)) as Json)
      buffered = buffered.slice(newline + 1)
      newline = buffered.indexOf('\n')
    }
    for (const wake of waiters) wake()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return {
    child,
    messages,
    stderr: () => stderr,
    close: () => child.kill(),
    request(message, timeoutMs = 10_000) {
      child.stdin.write(JSON.stringify(message) + '\n')
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find((m) => m.id === message.id && ('result' in m || 'error' in m))
          if (!found) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no answer to ${JSON.stringify(message)}; stderr: ${stderr}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
  }
}

export interface EraHttp {
  url: string
  close(): void
}

/** era-server.mjs on streamable HTTP (127.0.0.1, a free port). */
export async function startEraHttp(era: Exclude<ServerEra, 'handwired'>): Promise<EraHttp> {
  const child = spawn(process.execPath, [ERA_SERVER, '--transport', 'http', '--era', era], {env: {PATH: process.env.PATH ?? ''}, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`era-server did not listen: ${stderr}`)), 15_000)
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const found = /listening on (http:\S+)/.exec(stderr)
      if (found) {
        clearTimeout(timer)
        resolve(found[1])
      }
    })
  })
  return {url, close: () => child.kill()}
}

/** One raw POST with the headers a modern client sends for this body, then `headers` on top. */
export async function postModern(url: string, body: Json, headers: Record<string, string | undefined> = {}): Promise<{status: number; body: Json}> {
  const params = body.params as Json | undefined
  const name = (params?.name ?? params?.uri) as string | undefined
  const base: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': String(body.method),
    ...(name !== undefined && {'mcp-name': name}),
  }
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) delete base[key]
    else base[key] = value
  }
  const response = await fetch(url, {method: 'POST', headers: base, body: JSON.stringify(body)})
  const text = await response.text()
  return {status: response.status, body: parseHttpBody(text)}
}

/** A JSON body, or the last JSON-RPC response of an SSE body. */
function parseHttpBody(text: string): Json {
  if (!text.startsWith('event:') && !text.startsWith('data:') && !text.startsWith(':')) return JSON.parse(text) as Json
  const events = text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .filter((data) => data.length > 0)
    .map((data) => JSON.parse(data) as Json)
  return events.findLast((event) => 'result' in event || 'error' in event) ?? {}
}

export type Negotiation = 'auto' | 'legacy' | {pin: string}

export interface ModernClientOptions {
  negotiation: Negotiation
  /** Answers the server's elicitation (a form); absent: the client declares no elicitation. */
  elicit?: (params: Json) => Json
  onToolsChanged?: (names: string[]) => void
}

/** The real 2.x SDK client, in the negotiation mode given, over stdio (spawning era-server.mjs) or HTTP (a URL). */
export async function connectV2(target: {stdio: ServerEra; env?: Record<string, string>} | {url: string}, options: ModernClientOptions): Promise<ClientV2> {
  const client = new ClientV2(
    {name: 'era-e2e', version: '2.0.0'},
    {
      capabilities: options.elicit ? {elicitation: {form: {}}} : {},
      versionNegotiation: {mode: options.negotiation},
      ...(options.onToolsChanged && {listChanged: {tools: {onChanged: (_error: Error | null, tools: Array<{name: string}> | null) => options.onToolsChanged?.((tools ?? []).map((t) => t.name))}}}),
    },
  )
  if (options.elicit) {
    const elicit = options.elicit
    client.setRequestHandler('elicitation/create', async (request) => elicit(request.params as Json) as never)
  }
  const transport =
    'url' in target
      ? new HttpTransportV2(new URL(target.url))
      : new StdioTransportV2({command: process.execPath, args: [ERA_SERVER, '--transport', 'stdio', '--era', target.stdio], env: {PATH: process.env.PATH ?? '', ...target.env}})
  await client.connect(transport)
  return client
}

/** The first text block of a tool result. */
export function firstText(result: unknown): string {
  const content = (result as {content?: Array<{type: string; text?: string}>}).content ?? []
  return content.find((block) => block.type === 'text')?.text ?? ''
}
