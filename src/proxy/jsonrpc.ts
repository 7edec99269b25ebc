/**
 * Strict JSON-RPC 2.0 decoding for MCP. The proxy decides on the parsed message and forwards its
 * re-serialisation, so anything that could be read two ways (duplicate keys, a BOM, two values on
 * one line, invalid UTF-8, a batch) is refused here rather than "handled".
 */

export type JsonRpcId = number | string

export interface JsonRpcRequest {
  jsonrpc: '2.0'
  id: JsonRpcId
  method: string
  params?: Record<string, unknown>
}

export interface JsonRpcNotification {
  jsonrpc: '2.0'
  method: string
  params?: Record<string, unknown>
}

export interface JsonRpcError {
  code: number
  message: string
  data?: unknown
}

export interface JsonRpcResponse {
  jsonrpc: '2.0'
  id: JsonRpcId | null
  result?: Record<string, unknown>
  error?: JsonRpcError
}

export type JsonRpcMessage = JsonRpcNotification | JsonRpcRequest | JsonRpcResponse

export type Violation =
  | 'bad-id'
  | 'bad-jsonrpc'
  | 'batch'
  | 'duplicate-keys'
  | 'too-deep'
  | 'not-json'
  | 'not-object'
  | 'not-utf8'
  | 'too-large'

export type Decoded =
  | {kind: 'notification'; message: JsonRpcNotification}
  | {kind: 'request'; message: JsonRpcRequest}
  | {kind: 'response'; message: JsonRpcResponse}
  | {kind: 'violation'; violation: Violation; detail: string; /** The id to answer -32600 to, when one can be told. */ id?: JsonRpcId | null}

export const ErrorCode = {
  parse: -32_700,
  invalidRequest: -32_600,
  methodNotFound: -32_601,
  invalidParams: -32_602,
  internal: -32_603,
} as const

// fatal: invalid UTF-8 is refused, not replaced; ignoreBOM: a BOM stays in the text so JSON.parse refuses it.
const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

export function decodeLine(bytes: Uint8Array): Decoded {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return {kind: 'violation', violation: 'not-utf8', detail: 'the line is not valid UTF-8'}
  }

  return decodeText(text)
}

export function decodeText(text: string): Decoded {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return {kind: 'violation', violation: 'not-json', detail: `not one JSON value (${(error as Error).message})`}
  }

  if (Array.isArray(value)) return {kind: 'violation', violation: 'batch', detail: 'JSON-RPC batches are not part of MCP', id: null}
  if (typeof value !== 'object' || value === null) return {kind: 'violation', violation: 'not-object', detail: 'a message must be a JSON object', id: null}
  const held = keysInValue(value)
  if (held === TOO_DEEP) {
    const id = (value as {id?: unknown}).id
    return {kind: 'violation', violation: 'too-deep', detail: `values are nested more than ${MAX_DEPTH} levels deep`, id: validId(id) ? id : null}
  }
  if (keysInText(text) !== held) {
    return {kind: 'violation', violation: 'duplicate-keys', detail: 'an object holds the same key twice', id: null}
  }

  return classify(value as Record<string, unknown>)
}

function classify(message: Record<string, unknown>): Decoded {
  const id = validId(message.id) ? message.id : undefined
  if (message.jsonrpc !== '2.0') return {kind: 'violation', violation: 'bad-jsonrpc', detail: 'jsonrpc must be "2.0"', id: id ?? null}
  if (message.params !== undefined && (typeof message.params !== 'object' || message.params === null || Array.isArray(message.params))) {
    return {kind: 'violation', violation: 'bad-jsonrpc', detail: 'params must be an object', id: id ?? null}
  }

  if (typeof message.method === 'string') {
    if (!('id' in message)) return {kind: 'notification', message: message as unknown as JsonRpcNotification}
    if (id === undefined) return {kind: 'violation', violation: 'bad-id', detail: 'a request id must be a string or an integer', id: null}
    return {kind: 'request', message: message as unknown as JsonRpcRequest}
  }

  if ('method' in message) return {kind: 'violation', violation: 'bad-jsonrpc', detail: 'method must be a string', id: id ?? null}
  const hasResult = 'result' in message
  const hasError = 'error' in message
  if (hasResult === hasError) return {kind: 'violation', violation: 'bad-jsonrpc', detail: 'a response has exactly one of result and error', id: id ?? null}
  if (id === undefined && message.id !== null) return {kind: 'violation', violation: 'bad-id', detail: 'a response id must be a string, an integer or null', id: null}
  if (hasResult && (typeof message.result !== 'object' || message.result === null || Array.isArray(message.result))) {
    return {kind: 'violation', violation: 'bad-jsonrpc', detail: 'result must be an object', id: id ?? null}
  }

  if (hasError) {
    const error = message.error as Record<string, unknown> | null
    if (typeof error !== 'object' || error === null || !Number.isInteger(error.code) || typeof error.message !== 'string') {
      return {kind: 'violation', violation: 'bad-jsonrpc', detail: 'error must be {code, message}', id: id ?? null}
    }
  }

  return {kind: 'response', message: message as unknown as JsonRpcResponse}
}

function validId(id: unknown): id is JsonRpcId {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id))
}

/**
 * How many object keys the text spells. JSON.parse keeps the last of duplicate keys silently, so
 * comparing this with the keys the parsed value holds is how a duplicate shows. A string is a key
 * when the next non-blank character after it is a colon. Jumps quote to quote, so it is cheap.
 */
function keysInText(text: string): number {
  let keys = 0
  let at = text.indexOf('"')
  while (at !== -1) {
    let end = text.indexOf('"', at + 1)
    while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1)
    if (end === -1) return keys
    let next = end + 1
    while (next < text.length && isBlank(text.charCodeAt(next))) next++
    if (text.charCodeAt(next) === 58) keys++
    at = text.indexOf('"', end + 1)
  }

  return keys
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0
  for (let i = quote - 1; text.charCodeAt(i) === 92; i--) backslashes++
  return backslashes % 2 === 1
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13
}

/**
 * Nesting a message may have. MCP's deepest honest values are JSON Schemas, a few dozen levels; every
 * later step (redaction, scanning, digests, the server's own parser) walks the value, and a
 * 20,000-deep line of 40 KB would overflow a recursive walk's stack in any of them.
 */
export const MAX_DEPTH = 256
const TOO_DEEP = -1

/** How many object keys the parsed value holds, walked without recursion; TOO_DEEP past MAX_DEPTH. */
function keysInValue(root: object): number {
  let count = 0
  const stack: unknown[] = [root]
  const depths: number[] = [0]
  while (stack.length > 0) {
    const value = stack.pop()
    const depth = depths.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_DEPTH) return TOO_DEEP
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'object' && item !== null) {
          stack.push(item)
          depths.push(depth + 1)
        }
      }

      continue
    }

    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue
      count++
      const item = (value as Record<string, unknown>)[key]
      if (typeof item === 'object' && item !== null) {
        stack.push(item)
        depths.push(depth + 1)
      }
    }
  }

  return count
}

export function encode(message: JsonRpcMessage): string {
  return JSON.stringify(message) + '\n'
}

export function errorResponse(id: JsonRpcId | null, code: number, message: string, data?: unknown): JsonRpcResponse {
  return {jsonrpc: '2.0', id, error: data === undefined ? {code, message} : {code, message, data}}
}
