import type {ChildProcess} from 'node:child_process'
import {join} from 'node:path'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import {McpError} from '@modelcontextprotocol/sdk/types.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {addToken} from '../../src/proxy/tokens.js'
import {SERVERS, writePolicy} from '../helpers/mcp.js'
import {freePort, startUntil} from '../helpers/processes.js'
import {BIN, tempDir} from '../helpers/tree.js'

const POLICY = `policies:
  - name: http
    agent: "*"
    rules:
      - id: sums-need-a
        tools: ["ev.get-sum"]
        action: deny
        when: {not: {arg: a, present: true}}
        reason: A sum needs its first term.
      - id: echo-and-sums
        tools: ["ev.echo", "ev.get-sum"]
        action: allow
`

async function stdioClientTo(upstream: string, stateDir: string): Promise<Client> {
  const policyFile = writePolicy(stateDir, POLICY)
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', '--agent', 'remote', '--server', 'ev', '--policy', policyFile, '--upstream-url', upstream],
    env: {PATH: process.env.PATH ?? '', AGENTGOV_HOME: stateDir, HOME: stateDir, OTEL_SDK_DISABLED: 'true'},
  })
  const client = new Client({name: 'e2e', version: '1'})
  await client.connect(transport)
  return client
}

describe('a remote upstream behind the stdio face', () => {
  const dir = tempDir()
  const servers: ChildProcess[] = []
  afterAll(() => {
    for (const server of servers) server.kill()
    dir.cleanup()
  })

  it('speaks streamable HTTP to the real server-everything and still decides every call', async () => {
    const port = await freePort()
    const server = await startUntil(process.execPath, [SERVERS.everything, 'streamableHttp'], {PORT: String(port)}, /listening on port/)
    servers.push(server.child)
    const client = await stdioClientTo(`http://127.0.0.1:${port}/mcp`, join(dir.path, 'a'))
    const tools = (await client.listTools()).tools.map((t) => t.name)
    expect(tools).toContain('echo')
    expect(tools).not.toContain('get-env')
    expect(await client.callTool({name: 'echo', arguments: {message: 'over http'}})).toMatchObject({content: [{type: 'text', text: 'Echo: over http'}]})
    const denied = await client.callTool({name: 'get-sum', arguments: {b: 2}})
    expect(denied.isError).toBe(true)
    await client.close()
  })

  it('falls back to HTTP+SSE when the server does not speak streamable HTTP', async () => {
    const port = await freePort()
    const server = await startUntil(process.execPath, [SERVERS.everything, 'sse'], {PORT: String(port)}, /running on port/)
    servers.push(server.child)
    const client = await stdioClientTo(`http://127.0.0.1:${port}/sse`, join(dir.path, 'b'))
    expect(await client.callTool({name: 'echo', arguments: {message: 'over sse'}})).toMatchObject({content: [{type: 'text', text: 'Echo: over sse'}]})
    await client.close()
  })
})

describe('the token-protected streamable-HTTP face', () => {
  const dir = tempDir()
  const state = join(dir.path, 'state')
  let proxy: Awaited<ReturnType<typeof startUntil>>
  let url: string
  let alice: string
  let bob: string

  beforeAll(async () => {
    const tokens = join(state, 'tokens.json')
    alice = addToken(tokens, 'alice')
    bob = addToken(tokens, 'bob')
    const policyFile = writePolicy(state, POLICY)
    proxy = await startUntil(
      process.execPath,
      [BIN, 'proxy', '--server', 'ev', '--policy', policyFile, '--listen', '127.0.0.1:0', '--', process.execPath, SERVERS.everything, 'stdio'],
      {AGENTGOV_HOME: state, HOME: state, OTEL_SDK_DISABLED: 'true'},
      /listening on (http:\S+)/,
    )
    url = proxy.match[1]
  })
  afterAll(() => {
    proxy?.child.kill('SIGTERM')
    dir.cleanup()
  })

  const connectAs = async (token: string) => {
    const client = new Client({name: 'http-agent', version: '1'})
    const transport = new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers: {Authorization: `Bearer ${token}`}}})
    await client.connect(transport)
    return {client, transport}
  }

  const post = (headers: Record<string, string>, body: string) =>
    fetch(url, {method: 'POST', headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers}, body})

  it('governs an agent that brings its token, under the identity the token names', async () => {
    const {client} = await connectAs(alice)
    expect(await client.callTool({name: 'echo', arguments: {message: 'hi'}})).toMatchObject({content: [{text: 'Echo: hi'}]})
    const error = await client.callTool({name: 'get-env', arguments: {}}).catch((e: unknown) => e)
    expect((error as McpError).code).toBe(-32602)
    await client.close()
  })

  it('refuses no token, a wrong token, and another agent\'s session', async () => {
    const initialize = JSON.stringify({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'x', version: '1'}}})
    expect((await post({}, initialize)).status).toBe(401)
    expect((await post({authorization: 'Bearer agt_not-a-real-token'}, initialize)).status).toBe(401)

    const {transport} = await connectAs(alice)
    const hijack = await post({authorization: `Bearer ${bob}`, 'mcp-session-id': transport.sessionId as string, 'mcp-protocol-version': '2025-06-18'}, JSON.stringify({jsonrpc: '2.0', id: 2, method: 'tools/list'}))
    expect(hijack.status).toBe(403)
  })

  it('refuses malformed and oversized bodies before they reach a session', async () => {
    const duplicate = await post({authorization: `Bearer ${alice}`}, '{"jsonrpc":"2.0","id":1,"id":2,"method":"initialize"}')
    expect(duplicate.status).toBe(400)
    expect(((await duplicate.json()) as {error: {code: number}}).error.code).toBe(-32600)
    const huge: Error | Response = await post({authorization: `Bearer ${alice}`}, 'x'.repeat(65 * 1024 * 1024)).catch((error: Error) => error)
    expect(huge instanceof Error ? 'reset' : huge.status).toMatch(/413|reset/)
  })
})
