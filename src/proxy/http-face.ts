import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js'

import {type Decoded, decodeLine, decodeText, ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from './jsonrpc.js'
import {agentForToken, type TokenFile} from './tokens.js'
import type {Transport} from './transport.js'

export interface HttpFaceOptions {
  host: string
  port: number
  tokens: TokenFile
  /** Start a governed session for an authenticated agent on a new client transport. */
  openSession(agent: string, client: Transport): Promise<void>
  maxBodyBytes?: number
  log(message: string): void
}

interface FaceSession {
  agent: string
  http: StreamableHTTPServerTransport
}

const LOOPBACK_HOSTS = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i

/**
 * The proxy's streamable-HTTP face for agents that speak HTTP. No token, no session: each bearer
 * token names one agent, a session answers only to the agent that opened it, and every body passes
 * the same strict decoder as stdio before the SDK's HTTP machinery sees it.
 */
export async function serveHttpFace(options: HttpFaceOptions): Promise<{server: Server; url: string; close(): Promise<void>}> {
  const sessions = new Map<string, FaceSession>()
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: Error) => {
      options.log(`HTTP request failed: ${error.message}`)
      if (!res.headersSent) reply(res, 500, errorResponse(null, ErrorCode.internal, 'Internal error.'))
    })
  })
  // Slow clients cannot hold a connection open forever.
  server.headersTimeout = 10_000
  server.requestTimeout = 60_000

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') return reply(res, 404, errorResponse(null, ErrorCode.invalidRequest, 'Not found: the MCP endpoint is /mcp.'))
    // DNS rebinding: a browser page must not reach a loopback proxy through a hostile name.
    if (!LOOPBACK_HOSTS.test(req.headers.host ?? '') && isLoopback(options.host)) return reply(res, 403, errorResponse(null, ErrorCode.invalidRequest, 'Forbidden host.'))
    const origin = req.headers.origin
    if (origin && !LOOPBACK_HOSTS.test(new URL(origin, 'http://x').host)) return reply(res, 403, errorResponse(null, ErrorCode.invalidRequest, 'Forbidden origin.'))

    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const agent = agentForToken(options.tokens, bearer)
    if (!agent) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="agentgov"')
      return reply(res, 401, errorResponse(null, ErrorCode.invalidRequest, 'Unauthorized: a valid agent token is required (Authorization: Bearer …).'))
    }

    const sessionId = req.headers['mcp-session-id']
    let body: unknown
    if (req.method === 'POST') {
      const raw = await readBody(req, maxBody)
      if (raw === undefined) return reply(res, 413, errorResponse(null, ErrorCode.invalidRequest, `Request body over ${maxBody} bytes.`))
      const decoded = decodeLine(raw)
      if (decoded.kind === 'violation') {
        options.log(`refused a message from agent ${agent}: ${decoded.detail}`)
        const code = decoded.violation === 'not-json' || decoded.violation === 'not-utf8' ? ErrorCode.parse : ErrorCode.invalidRequest
        return reply(res, 400, errorResponse(decoded.id ?? null, code, `Invalid request: ${decoded.detail}.`))
      }

      body = decoded.message
    }

    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId)
      if (!session) return reply(res, 404, errorResponse(null, ErrorCode.invalidRequest, 'Session not found; initialize again.'))
      if (session.agent !== agent) return reply(res, 403, errorResponse(null, ErrorCode.invalidRequest, 'This session belongs to another agent.'))
      return session.http.handleRequest(req, res, body)
    }

    if (req.method !== 'POST' || (body as {method?: unknown}).method !== 'initialize') {
      return reply(res, 400, errorResponse(null, ErrorCode.invalidRequest, 'Bad request: no session id; start with initialize.'))
    }

    const http = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, {agent, http})
      },
      onsessionclosed: (id) => {
        sessions.delete(id)
      },
    })
    await options.openSession(agent, new FaceTransport(http))
    await http.handleRequest(req, res, body)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    server,
    url: `http://${host}:${address.port}/mcp`,
    async close() {
      await Promise.allSettled([...sessions.values()].map((s) => s.http.close()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The SDK's HTTP server transport seen as one side of the proxy. */
class FaceTransport implements Transport {
  ondecoded?: (decoded: Decoded) => void
  onclose?: (info: {code?: number | null}) => void
  onerror?: (error: Error) => void

  constructor(private readonly http: StreamableHTTPServerTransport) {}

  async start(): Promise<void> {
    // The body was decoded strictly before the SDK parsed it; re-encoding gives the same message.
    this.http.onmessage = (message) => this.ondecoded?.(decodeText(JSON.stringify(message)))
    this.http.onclose = () => this.onclose?.({code: 0})
    this.http.onerror = (error) => this.onerror?.(error)
    await this.http.start()
  }

  send(message: JsonRpcMessage, options?: {relatedRequestId?: JsonRpcId}): void {
    this.http.send(message as JSONRPCMessage, options).catch((error: Error) => this.onerror?.(error))
  }

  async close(): Promise<void> {
    await this.http.close()
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        resolve(undefined)
        req.destroy()
        return
      }

      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, {'content-type': 'application/json'})
  res.end(JSON.stringify(body))
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}
