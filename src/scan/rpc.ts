import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js'

import type {ServerProcess} from './child.js'

export type Json = Record<string, unknown>

/** A JSON-RPC error answer, kept whole so the era probe can read its code. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

/** One request, one answer: what the era probe and the modern lister need, over stdio or HTTP. */
export interface Rpc {
  request(method: string, params: Json): Promise<Json>
}

/**
 * Requests over a server process's stdio. A request the server sends back (roots, sampling,
 * elicitation) is refused: a scan has no user to ask and grants nothing.
 */
export function stdioRpc(server: ServerProcess): Rpc {
  const pending = new Map<string, {resolve: (value: Json) => void; reject: (error: Error) => void}>()
  let next = 1
  server.onmessage = (message: JSONRPCMessage) => {
    const m = message as Json
    if (typeof m.method === 'string') {
      if ('id' in m) void server.send({jsonrpc: '2.0', id: m.id as number, error: {code: -32_601, message: 'agentgov scan answers no server requests'}}).catch(() => {})
      return
    }

    const waiter = pending.get(String(m.id))
    if (!waiter) return
    pending.delete(String(m.id))
    const error = m.error as {code?: unknown; message?: unknown; data?: unknown} | undefined
    if (error) waiter.reject(new RpcError(Number(error.code), String(error.message ?? 'error'), error.data))
    else waiter.resolve(isJson(m.result) ? m.result : {})
  }

  void server.ended.then((reason) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the server ended before it answered: ${reason}`))
    pending.clear()
  })
  return {
    async request(method, params) {
      const id = `agentgov-scan-${next++}`
      const answer = new Promise<Json>((resolve, reject) => pending.set(id, {resolve, reject}))
      await server.send({jsonrpc: '2.0', id, method, params} as JSONRPCMessage)
      return answer
    },
  }
}

/**
 * Requests over streamable HTTP the modern way: one POST each, with `MCP-Protocol-Version`,
 * `Mcp-Method` and the configured headers; the answer is JSON or an SSE stream whose last
 * JSON-RPC response is the answer.
 */
export function httpRpc(url: string, headers: Record<string, string>, version: string, signal: AbortSignal): Rpc {
  let next = 1
  return {
    async request(method, params) {
      const id = next++
      const response = await fetch(url, {
        method: 'POST',
        signal,
        headers: {...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': version, 'mcp-method': method},
        body: JSON.stringify({jsonrpc: '2.0', id, method, params}),
      })
      const text = await response.text()
      const answer = parseBody(text)
      const error = answer?.error as {code?: unknown; message?: unknown; data?: unknown} | undefined
      if (isJson(error) && typeof error.code === 'number') throw new RpcError(error.code, String(error.message ?? 'error'), error.data)
      if (!response.ok || !answer) throw new HttpError(response.status, response.statusText)
      return isJson(answer.result) ? answer.result : {}
    },
  }
}

/** An HTTP answer that is no JSON-RPC answer (a 401 from an auth layer, a 404 page). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    statusText: string,
  ) {
    super(`HTTP ${status} ${statusText}`.trim())
  }

  /** The server (or what stands before it) refused who the scan is: trying the other era will not help. */
  get refused(): boolean {
    return this.status === 401 || this.status === 403
  }
}

function parseBody(text: string): Json | undefined {
  const trimmed = text.trimStart()
  try {
    if (trimmed.startsWith('{')) return JSON.parse(trimmed) as Json
    const events = trimmed
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trim())
      .filter((data) => data.startsWith('{'))
      .map((data) => JSON.parse(data) as Json)
    return events.findLast((event) => 'result' in event || 'error' in event)
  } catch {
    return undefined
  }
}

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
