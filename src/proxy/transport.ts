import {type ChildProcess, spawn} from 'node:child_process'
import type {Readable, Writable} from 'node:stream'

import {type Decoded, decodeLine, encode, type JsonRpcId, type JsonRpcMessage} from './jsonrpc.js'
import {LineSplitter} from './lines.js'

/**
 * One side of the proxy, shaped like the MCP SDK's Transport: start, send, close and callbacks. The
 * pump holds two of these and never knows whether a side is stdio, a child process or HTTP.
 */
export interface Transport {
  start(): Promise<void>
  /** `relatedRequestId`: the client request a message belongs to (HTTP routes it onto that request's stream). */
  send(message: JsonRpcMessage, options?: {relatedRequestId?: JsonRpcId}): void
  close(): Promise<void>
  /** Every decoded line, including violations: the pump decides what to do with each. */
  ondecoded?: (decoded: Decoded) => void
  onclose?: (info: {code?: number | null; signal?: NodeJS.Signals | null}) => void
  onerror?: (error: Error) => void
  /** The MCP session id this side carries (Mcp-Session-Id), once it has one: HTTP sides only. */
  readonly sessionId?: string
  /** How an upstream side reaches its server: the upstream span's network.transport and server.address/port. */
  readonly peer?: Peer
}

export interface Peer {
  transport: 'pipe' | 'tcp'
  address?: string
  port?: number
}

/** Newline-delimited JSON-RPC over a readable and a writable stream. */
export class LineTransport implements Transport {
  ondecoded?: (decoded: Decoded) => void
  onclose?: (info: {code?: number | null; signal?: NodeJS.Signals | null}) => void
  onerror?: (error: Error) => void
  private closed = false
  private queued: string[] = []

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {}

  async start(): Promise<void> {
    const splitter = new LineSplitter(
      (line) => this.ondecoded?.(decodeLine(line)),
      (bytes, head, tail) =>
        this.ondecoded?.({kind: 'violation', violation: 'too-large', detail: `a line of ${bytes} bytes is over the limit`, id: idAtEdges(head, tail)}),
    )
    this.input.on('data', (chunk: Buffer) => splitter.push(chunk))
    this.input.on('end', () => {
      splitter.end()
      this.finish({})
    })
    this.input.on('error', (error) => this.onerror?.(error))
    this.output.on('error', (error) => this.onerror?.(error))
  }

  send(message: JsonRpcMessage): void {
    if (this.closed || this.output.destroyed) return
    this.queued.push(encode(message))
    // Everything sent while one chunk is handled goes out in one write: a syscall per message was
    // the largest cost of the proxy under load.
    if (this.queued.length === 1) queueMicrotask(() => this.flush())
  }

  async close(): Promise<void> {
    this.flush()
    this.finish({})
  }

  private flush(): void {
    if (this.queued.length === 0 || this.output.destroyed) return
    const data = this.queued.length === 1 ? this.queued[0] : this.queued.join('')
    this.queued = []
    this.output.write(data)
  }

  protected finish(info: {code?: number | null; signal?: NodeJS.Signals | null}): void {
    if (this.closed) return
    this.closed = true
    this.onclose?.(info)
  }
}

/**
 * The real MCP server as a child process. Its stderr passes straight through to ours (servers log
 * there); when our client goes away the child gets EOF on stdin, then a signal after a grace period.
 */
export class ChildProcessTransport implements Transport {
  // A child over stdio: the semantic conventions set no server.address for a pipe.
  readonly peer: Peer = {transport: 'pipe'}
  onerror?: (error: Error) => void
  private child?: ChildProcess
  private lines?: LineTransport
  private exited = false
  private starting?: Promise<void>
  // The server is spawned before the policy and trace store are ready (it boots in parallel), so
  // what it says before the session listens is held, not lost.
  private decodedHandler?: (decoded: Decoded) => void
  private closeHandler?: (info: {code?: number | null; signal?: NodeJS.Signals | null}) => void
  private early: Decoded[] = []
  private exitInfo?: {code?: number | null; signal?: NodeJS.Signals | null}

  get ondecoded(): ((decoded: Decoded) => void) | undefined {
    return this.decodedHandler
  }

  set ondecoded(handler: ((decoded: Decoded) => void) | undefined) {
    this.decodedHandler = handler
    if (handler) for (const decoded of this.early.splice(0)) handler(decoded)
  }

  get onclose(): ((info: {code?: number | null; signal?: NodeJS.Signals | null}) => void) | undefined {
    return this.closeHandler
  }

  set onclose(handler: ((info: {code?: number | null; signal?: NodeJS.Signals | null}) => void) | undefined) {
    this.closeHandler = handler
    if (handler && this.exitInfo) handler(this.exitInfo)
  }

  constructor(
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly options: {env?: NodeJS.ProcessEnv; cwd?: string; graceMs?: number} = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** Idempotent: the proxy may start the server early, and the session starts it again. */
  start(): Promise<void> {
    this.starting ??= this.spawnServer()
    return this.starting
  }

  private async spawnServer(): Promise<void> {
    const child = spawn(this.command, this.args, {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: this.options.env ?? process.env,
      cwd: this.options.cwd,
      // Windows launchers (npx.cmd) need a shell to resolve; elsewhere the argv is passed as is.
      shell: process.platform === 'win32',
      windowsHide: true,
    })
    this.child = child
    const lines = new LineTransport(child.stdout, child.stdin)
    lines.ondecoded = (decoded) => (this.decodedHandler ? this.decodedHandler(decoded) : this.early.push(decoded))
    lines.onerror = (error) => {
      // EPIPE after the child exited is expected; the exit itself is reported once below.
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') this.onerror?.(error)
    }
    this.lines = lines
    await lines.start()
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve())
      child.once('error', (error) => {
        this.exited = true
        reject(error)
      })
    })
    child.once('exit', (code, signal) => {
      this.exited = true
      this.exitInfo = {code, signal}
      this.closeHandler?.(this.exitInfo)
    })
  }

  send(message: JsonRpcMessage): void {
    this.lines?.send(message)
  }

  /** EOF on stdin first (the polite MCP shutdown), then SIGTERM, then SIGKILL. */
  async close(): Promise<void> {
    const child = this.child
    if (!child || this.exited) return
    child.stdin?.end()
    const grace = this.options.graceMs ?? 2000
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const timer = setTimeout(() => {
      if (!this.exited) child.kill('SIGTERM')
      setTimeout(() => {
        if (!this.exited) child.kill('SIGKILL')
      }, grace).unref()
    }, grace)
    timer.unref()
    await exited
    clearTimeout(timer)
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exited) this.child?.kill(signal)
  }
}

/**
 * The id of a message too large to parse, read from its first or last bytes (SDKs write the id
 * first or last), so the request it answers can still get its one answer.
 */
function idAtEdges(head: Buffer, tail: Buffer): JsonRpcId | undefined {
  for (const edge of [head.toString('utf8'), tail.toString('utf8')]) {
    const match = /"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")/.exec(edge)
    if (match) return JSON.parse(match[1]) as JsonRpcId
  }

  return undefined
}
