import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'

import {SERVERS, writePolicy} from './mcp.js'
import {BIN} from './tree.js'

export interface RawProxy {
  child: ChildProcessWithoutNullStreams
  /** Every line the proxy wrote to stdout, parsed (a non-JSON line fails the test that reads it). */
  messages: Array<Record<string, unknown>>
  stderr(): string
  send(line: Buffer | string): void
  /** Wait for a message the predicate accepts. */
  next(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
  initialize(): Promise<void>
  exited: Promise<number | null>
}

/** The proxy driven with raw bytes, as a hostile or broken client would. */
export function startRawProxy(options: {stateDir: string; policy: string; serverArgs?: string[]; command?: string[]}): RawProxy {
  const policyFile = writePolicy(options.stateDir, options.policy)
  const inner = options.command ?? [process.execPath, SERVERS.everything, ...(options.serverArgs ?? ['stdio'])]
  const child = spawn(process.execPath, [BIN, 'proxy', '--agent', 'raw', '--server', 'ev', '--policy', policyFile, '--', ...inner], {
    env: {PATH: process.env.PATH ?? '', HOME: options.stateDir, AGENTGOV_HOME: options.stateDir, OTEL_SDK_DISABLED: 'true'},
  })
  const messages: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  let stderr = ''
  let pending: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => {
    // Only the new chunk is searched: a 50 MB answer must not cost a scan per chunk.
    let start = 0
    let newline = chunk.indexOf(10)
    while (newline !== -1) {
      pending.push(chunk.subarray(start, newline))
      messages.push(JSON.parse(Buffer.concat(pending).toString('utf8')) as Record<string, unknown>)
      pending = []
      start = newline + 1
      newline = chunk.indexOf(10, start)
    }

    if (start < chunk.length) pending.push(chunk.subarray(start))

    for (const wake of waiters.splice(0)) wake()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const proxy: RawProxy = {
    child,
    messages,
    exited,
    stderr: () => stderr,
    send(line) {
      child.stdin.write(typeof line === 'string' ? line + '\n' : Buffer.concat([line, Buffer.from('\n')]))
    },
    async next(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = messages.find(match)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(messages).slice(0, 2000)}; stderr: ${stderr.slice(-2000)}`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 50)
        })
      }
    },
    async initialize() {
      proxy.send(JSON.stringify({jsonrpc: '2.0', id: 'init', method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'raw', version: '1'}}}))
      await proxy.next((m) => m.id === 'init')
      proxy.send(JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}))
    },
  }
  return proxy
}

export const call = (id: number | string, name: string, args: Record<string, unknown> = {}) =>
  JSON.stringify({jsonrpc: '2.0', id, method: 'tools/call', params: {name, arguments: args}})

/** Pids whose parent is `pid` (Linux /proc), never 0. */
export function childPids(pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry))
    } catch {
      // Gone in between.
    }
  }

  return children.filter((child) => child > 0)
}
