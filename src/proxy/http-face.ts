import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js'

import {type Decoded, decodeLine, decodeText, ErrorCode, errorResponse, type JsonRpcId, type JsonRpcMessage} from './jsonrpc.js'
import type {TokenWatch} from './tokens.js'
import type {Transport} from './transport.js'

/** A governed session as the face holds it: what it can do when the token it was opened with goes. */
export interface OpenedSession {
  /** Record the revocation and end the session (its server stops). */
  revoke(detail: string): Promise<void>
}

export interface HttpFaceOptions {
  host: string
  port: number
  /** The token file, watched: the face closes it. */
  tokens: Pick<TokenWatch, 'close' | 'holds' | 'identify' | 'onchange'>
  /** Start a governed session (and its server) for an authenticated agent on a new client transport. */
  openSession(agent: string, client: Transport): Promise<OpenedSession>
  maxBodyBytes?: number
  log(message: string): void
}

interface FaceSession {
  agent: string
  /** The digest of the token the session was opened with: revoked, the session ends. */
  sha256: string
  http: StreamableHTTPServerTransport
  governed: OpenedSession
}

const LOOPBACK_HOSTS = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i

/**
 * The proxy's streamable-HTTP face for agents that speak HTTP. No token, no session: each bearer
 * token names one agent, a session answers only to the agent that opened it, and every body passes
 * the same strict decoder as stdio before the SDK's HTTP machinery sees it. The token file is read
 * again whenever it changes: a revoked token is refused at its next request and the sessions opened
 * with it end. A server process starts only for an initialize the SDK has accepted.
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
  const revoked = (session: FaceSession, id: string) => {
    sessions.delete(id)
    options.log(`the token of agent ${session.agent} was revoked: its session ${id} ends`)
    void session.governed.revoke(`the agent token of ${session.agent} was revoked`).catch((error: Error) => options.log(`could not end session ${id}: ${error.message}`))
  }

  options.tokens.onchange = () => {
    for (const [id, session] of sessions) if (!options.tokens.holds(session.sha256)) revoked(session, id)
  }

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
    const holder = options.tokens.identify(bearer)
    if (!holder) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="agentgov"')
      return reply(res, 401, errorResponse(null, ErrorCode.invalidRequest, 'Unauthorized: a valid agent token is required (Authorization: Bearer …).'))
    }

    const {agent, sha256} = holder

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

    const http: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      // Called once the SDK has accepted the initialize (Accept and Content-Type, one valid
      // initialize request), before it passes the message on: only then does a server start, so a
      // refused initialize leaves no process behind.
      onsessioninitialized: async (id) => {
        try {
          const governed = await options.openSession(agent, new FaceTransport(http, () => sessions.delete(id)))
          const session: FaceSession = {agent, sha256, http, governed}
          sessions.set(id, session)
          // Revoked while the server was starting: the sweep did not see this session yet.
          if (!options.tokens.holds(sha256)) revoked(session, id)
        } catch (error) {
          // The SDK answers a transport closed here with "Session not found".
          options.log(`could not start a session for agent ${agent}: ${(error as Error).message}`)
          await http.close()
        }
      },
      onsessionclosed: (id) => {
        sessions.delete(id)
      },
    })
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
      options.tokens.close()
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

  constructor(
    private readonly http: StreamableHTTPServerTransport,
    /** The session is gone however it ended: the face forgets it. */
    private readonly ended: () => void,
  ) {}

  get sessionId(): string | undefined {
    return this.http.sessionId
  }

  async start(): Promise<void> {
    // The body was decoded strictly before the SDK parsed it; re-encoding gives the same message.
    this.http.onmessage = (message) => this.ondecoded?.(decodeText(JSON.stringify(message)))
    this.http.onclose = () => {
      this.ended()
      this.onclose?.({code: 0})
    }
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
