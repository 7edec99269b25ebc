import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'

import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js'
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js'

import {redactText} from '../detect/secrets.js'

const STDERR_KEPT = 2000
const KILL_GRACE_MS = 1000

/** Every server process the scan started and has not reaped: Ctrl-C stops them all. */
const LIVE = new Set<ServerProcess>()

/**
 * A stdio server started the way its client starts it, in a process group of its own so that
 * stopping it also stops what it spawned (npx, uvx, docker and shell wrappers start the real
 * server as a grandchild). It is also the SDK `Transport` the legacy client speaks over.
 */
export class ServerProcess implements Transport {
  onmessage?: (message: JSONRPCMessage) => void
  onclose?: () => void
  onerror?: (error: Error) => void
  /** Set by the SDK client after `initialize`. */
  protocolVersion?: string
  /** Resolves with why the process ended (or could not start). */
  readonly ended: Promise<string>
  private readonly child: ChildProcessWithoutNullStreams
  private stderr = ''
  private buffered = ''
  private exited = false

  constructor(command: string, args: readonly string[], options: {cwd?: string; env: NodeJS.ProcessEnv}) {
    this.child = spawn(command, args, {cwd: options.cwd, env: options.env, stdio: 'pipe', detached: process.platform !== 'win32', windowsHide: true})
    LIVE.add(this)
    this.ended = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exited = true
        LIVE.delete(this)
        // spawn says ENOENT of the command when it is the working directory that is missing.
        const cwdMissing = options.cwd !== undefined && !existsSync(options.cwd)
        resolve(cwdMissing ? `it could not be started: its working directory ${options.cwd} does not exist` : `it could not be started: ${redactText(error.message)}`)
      })
      this.child.once('exit', (code, signal) => {
        this.exited = true
        const tail = this.stderrTail()
        resolve(`it exited (${signal ? `signal ${signal}` : `code ${code}`})${tail ? `: ${tail}` : ''}`)
      })
    })
    void this.ended.then(() => this.onclose?.())
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk.toString('utf8')))
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT)
    })
    // A server that dies mid-write must not crash the scan with EPIPE.
    this.child.stdin.on('error', () => {})
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.protocolVersion = version
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.exited) throw new Error('the server process has exited')
    this.child.stdin.write(JSON.stringify(message) + '\n')
  }

  /** Close stdin (the MCP way to ask a stdio server to stop), then terminate and kill the group. */
  async close(): Promise<void> {
    await this.stop()
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      this.child.stdin.end()
      this.signal('SIGTERM')
      const timer = setTimeout(() => this.signal('SIGKILL'), KILL_GRACE_MS)
      await this.ended
      clearTimeout(timer)
    }

    // The server may have left children behind in its group even when it exited itself.
    this.signal('SIGKILL')
    LIVE.delete(this)
  }

  /** The end of what the server wrote to stderr, one line, secrets redacted. */
  stderrTail(): string {
    const lines = this.stderr.trim().split('\n').filter((line) => line.trim() !== '')
    return redactText(lines.slice(-3).join(' | ')).slice(-400)
  }

  private signal(signal: NodeJS.Signals): void {
    const {pid} = this.child
    if (pid === undefined) return
    try {
      if (process.platform === 'win32') this.child.kill(signal)
      else process.kill(-pid, signal)
    } catch {
      // The group is gone already.
    }
  }

  private read(text: string): void {
    this.buffered += text
    let newline = this.buffered.indexOf('\n')
    while (newline !== -1) {
      const line = this.buffered.slice(0, newline).trim()
      this.buffered = this.buffered.slice(newline + 1)
      newline = this.buffered.indexOf('\n')
      if (line === '') continue
      let message: JSONRPCMessage
      try {
        message = JSON.parse(line) as JSONRPCMessage
      } catch (error) {
        // A log line on stdout is a broken server, not a broken scan: say it, keep reading.
        this.onerror?.(error as Error)
        continue
      }

      this.onmessage?.(message)
    }
  }
}

/** Stop every server still running (Ctrl-C, a fatal error): nothing the scan started outlives it. */
export async function stopAll(): Promise<void> {
  await Promise.all([...LIVE].map((server) => server.stop()))
}
