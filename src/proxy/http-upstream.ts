import {SSEClientTransport} from '@modelcontextprotocol/sdk/client/sse.js'
import {StreamableHTTPClientTransport, StreamableHTTPError} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type {Transport as SdkTransport} from '@modelcontextprotocol/sdk/shared/transport.js'
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js'

import {type Decoded, decodeText, ErrorCode, errorResponse, type JsonRpcMessage} from './jsonrpc.js'
import type {Peer, Transport} from './transport.js'

/** Status codes after which a client falls back from streamable HTTP to the legacy HTTP+SSE transport. */
const FALLBACK_STATUSES = new Set([400, 404, 405])

/**
 * A remote MCP server as the proxy's upstream. Streamable HTTP first; on a 400/404/405 to the first
 * POST, the legacy SSE transport (as the spec tells clients to do). Whatever the server sends is
 * decoded again by the proxy's own strict decoder, so the gate sees HTTP and stdio servers alike.
 */
export class HttpUpstreamTransport implements Transport {
  ondecoded?: (decoded: Decoded) => void
  onclose?: (info: {code?: number | null; signal?: NodeJS.Signals | null}) => void
  onerror?: (error: Error) => void
  private inner?: SdkTransport
  private fellBack = false
  private closed = false
  /** Sends are serialised: the session id from initialize must be known before the next POST. */
  private queue: Promise<void> = Promise.resolve()
  readonly peer: Peer

  constructor(
    private readonly url: string,
    private readonly options: {headers: Record<string, string>; mode: 'auto' | 'http' | 'sse'; log(message: string): void},
  ) {
    this.peer = peerOf(url)
  }

  get sessionId(): string | undefined {
    return this.inner?.sessionId
  }

  async start(): Promise<void> {
    this.inner = this.options.mode === 'sse' ? await this.connectSse() : await this.connect(new StreamableHTTPClientTransport(new URL(this.url), {requestInit: this.init()}))
  }

  send(message: JsonRpcMessage): void {
    this.queue = this.queue.then(() => this.deliver(message))
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.queue
    await this.inner?.close().catch(() => {})
    this.finish()
  }

  private async deliver(message: JsonRpcMessage): Promise<void> {
    try {
      await this.inner?.send(message as JSONRPCMessage)
    } catch (error) {
      if (this.options.mode === 'auto' && !this.fellBack && error instanceof StreamableHTTPError && FALLBACK_STATUSES.has(error.code ?? 0)) {
        this.fellBack = true
        this.options.log(`${this.url} does not speak streamable HTTP (HTTP ${error.code}); falling back to HTTP+SSE`)
        // Detach first: closing the abandoned transport must not read as the server going away.
        const abandoned = this.inner
        this.inner = undefined
        await abandoned?.close().catch(() => {})
        try {
          this.inner = await this.connectSse()
          await this.inner.send(message as JSONRPCMessage)
          return
        } catch (fallbackError) {
          this.failed(message, fallbackError as Error)
          return
        }
      }

      this.failed(message, error as Error)
    }
  }

  /** A request the server never saw still gets its one answer. */
  private failed(message: JsonRpcMessage, error: Error): void {
    this.options.log(`remote server ${this.url}: ${error.message}`)
    if ('method' in message && 'id' in message) {
      this.ondecoded?.({kind: 'response', message: errorResponse(message.id, ErrorCode.internal, `The remote MCP server could not be reached: ${error.message}`)})
    }
  }

  private async connectSse(): Promise<SdkTransport> {
    // The event stream is opened with its own fetch: carry the configured headers onto it too.
    const streamFetch: typeof fetch = (url, init) => {
      const headers = new Headers(init?.headers)
      for (const [name, value] of Object.entries(this.options.headers)) headers.set(name, value)
      return fetch(url, {...init, headers})
    }

    return this.connect(new SSEClientTransport(new URL(this.url), {requestInit: this.init(), eventSourceInit: {fetch: streamFetch}}))
  }

  private async connect(transport: SdkTransport): Promise<SdkTransport> {
    transport.onmessage = (message) => this.ondecoded?.(decodeText(JSON.stringify(message)))
    transport.onerror = (error) => this.onerror?.(error)
    transport.onclose = () => {
      if (transport === this.inner) this.finish()
    }

    await transport.start()
    return transport
  }

  private init(): RequestInit {
    return {headers: this.options.headers}
  }

  private finish(): void {
    if (this.closed) return
    this.closed = true
    this.onclose?.({code: 0})
  }
}

/** server.address and server.port as the semantic conventions define them: the port is the URL's, or its scheme's default. */
function peerOf(url: string): Peer {
  const parsed = new URL(url)
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80
  return {transport: 'tcp', address: parsed.hostname.replace(/^\[|\]$/g, ''), port}
}
