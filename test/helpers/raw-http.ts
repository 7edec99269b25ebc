import {type ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'

import {addToken} from '../../src/proxy/tokens.js'
import {writePolicy} from './mcp.js'
import {BIN} from './tree.js'

export interface RawHttpProxy {
  child: ChildProcess
  url: string
  stderr(): string
  /** A bearer token for `agent` (added to the proxy's token file before it started). */
  token(agent: string): string
  /** One raw POST: any headers, any body; the answer's JSON-RPC messages, from JSON or SSE. */
  post(headers: Record<string, string>, body: string): Promise<{status: number; headers: Headers; messages: Array<Record<string, unknown>>}>
  /** An initialised session for `agent`; send() posts one request in it and returns its answer. */
  session(agent: string): Promise<{id: string; send(message: Record<string, unknown>): Promise<Record<string, unknown> | undefined>}>
  close(): Promise<void>
}

/** `agentgov proxy --listen` driven with raw HTTP, as a hostile or broken client would. */
export async function startRawHttpProxy(options: {stateDir: string; policy: string; command: string[]; agents: string[]}): Promise<RawHttpProxy> {
  const tokens = new Map(options.agents.map((agent) => [agent, addToken(join(options.stateDir, 'tokens.json'), agent)]))
  const policyFile = writePolicy(options.stateDir, options.policy)
  const child = spawn(process.execPath, [BIN, 'proxy', '--server', 'ev', '--policy', policyFile, '--listen', '127.0.0.1:0', '--', ...options.command], {
    env: {PATH: process.env.PATH ?? '', HOME: options.stateDir, AGENTGOV_HOME: options.stateDir, OTEL_SDK_DISABLED: 'true'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the HTTP proxy did not start: ${stderr}`)), 15_000)
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const found = /listening on (http:\S+)/.exec(stderr)
      if (found) {
        clearTimeout(timer)
        resolve(found[1])
      }
    })
    child.once('exit', (code) => reject(new Error(`the HTTP proxy exited (${code}): ${stderr}`)))
  })

  const post: RawHttpProxy['post'] = async (headers, body) => {
    const response = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers}, body})
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    let messages: Array<Record<string, unknown>> = []
    if (type.includes('text/event-stream')) {
      messages = text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => JSON.parse(line.slice(5)) as Record<string, unknown>)
    } else if (text.trim() !== '') {
      messages = [JSON.parse(text) as Record<string, unknown>]
    }

    return {status: response.status, headers: response.headers, messages}
  }

  const token = (agent: string) => {
    const found = tokens.get(agent)
    if (!found) throw new Error(`no token for ${agent}`)
    return found
  }

  return {
    child,
    url,
    stderr: () => stderr,
    token,
    post,
    async session(agent) {
      const auth = {authorization: `Bearer ${token(agent)}`}
      const init = await post(auth, JSON.stringify({jsonrpc: '2.0', id: 'init', method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'raw-http', version: '1'}}}))
      const id = init.headers.get('mcp-session-id')
      if (init.status !== 200 || !id) throw new Error(`initialize answered ${init.status}: ${JSON.stringify(init.messages)} ${stderr}`)
      const inSession = {...auth, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18'}
      await post(inSession, JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}))
      return {
        id,
        async send(message) {
          const answer = await post(inSession, JSON.stringify({jsonrpc: '2.0', ...message}))
          return answer.messages.find((m) => m.id === message.id)
        },
      }
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}
