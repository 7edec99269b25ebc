import type {ChildProcess} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {addToken} from '../../src/proxy/tokens.js'
import {type Connected, connectThroughProxy, SERVERS, writePolicy} from '../helpers/mcp.js'
import {attrs, type Receiver, startReceiver} from '../helpers/otlp-receiver.js'
import {freePort, startUntil} from '../helpers/listen.js'
import {BIN, tempDir} from '../helpers/tree.js'

const POLICY = `policies:
  - name: telemetry
    agent: "*"
    rules:
      - id: reads
        tools: ["fs.read_text_file"]
        when: {arg: path, not_under: "/etc"}
        action: allow
      - id: no-etc
        tools: ["fs.read_text_file"]
        action: deny
        reason: Not outside the project.
`

const ENCODING = {'http/protobuf': 'protobuf', 'http/json': 'json', grpc: 'grpc'} as const

describe.each(['http/protobuf', 'http/json', 'grpc'] as const)('the proxy exports agt.* spans and metrics to a real OTLP receiver over %s', (protocol) => {
  const dir = tempDir()
  const root = join(dir.path, 'root')
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let connected: Connected
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'

  beforeAll(async () => {
    mkdirSync(root, {recursive: true})
    writeFileSync(join(root, 'a.txt'), 'a')
    receiver = await startReceiver()
    connected = await connectThroughProxy({
      stateDir: join(dir.path, 'state'),
      policy: POLICY,
      server: 'filesystem',
      serverName: 'fs',
      serverArgs: [root],
      agent: 'cursor',
      env: {
        OTEL_SDK_DISABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? receiver.grpcUrl : receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: 'agentgov-e2e',
      },
    })
    await connected.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'a.txt')}, _meta: {traceparent: `00-${traceId}-00f067aa0ba902b7-01`}})
    await connected.client.callTool({name: 'read_text_file', arguments: {path: '/etc/hostname'}})
    await connected.close()
    // The proxy flushes on exit; give the receiver a moment to have read the request.
    for (let i = 0; i < 50 && !receiver.spans.some((s) => s.name === 'agt.policy.evaluate' && attrs(s.attributes)['agt.policy.action'] === 'deny'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
  afterAll(async () => {
    await receiver?.close()
    dir.cleanup()
  })

  it('records each decision as agt.policy.evaluate with the contract attributes; a deny is not an error', () => {
    const evaluations: Array<Record<string, unknown>> = receiver.spans.filter((s) => s.name === 'agt.policy.evaluate').map((s) => ({...attrs(s.attributes), status: s.status?.code ?? 0}))
    expect(evaluations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({'agt.agent.id': 'cursor', 'agt.server.name': 'fs', 'agt.tool.name': 'read_text_file', 'agt.policy.action': 'allow', 'agt.policy.rule': 'reads', 'agt.policy.stage': 'pre_tool'}),
        expect.objectContaining({'agt.policy.action': 'deny', 'agt.policy.rule': 'no-etc'}),
      ]),
    )
    expect(evaluations.find((e) => e['agt.policy.action'] === 'deny')?.status).not.toBe(2)
  })

  it('continues the caller\'s trace from params._meta, with the MCP request span around the decision', () => {
    const continued = receiver.spans.filter((s) => s.traceId === traceId)
    const request = continued.find((s) => s.name === 'tools/call read_text_file' && s.kind === 2)
    expect(request).toBeDefined()
    expect(attrs(request?.attributes)).toMatchObject({'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'read_text_file', 'gen_ai.operation.name': 'execute_tool', 'network.transport': 'pipe', 'jsonrpc.protocol.version': '2.0'})
    expect(attrs(request?.attributes)['mcp.protocol.version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    // The hop to the server is the request span's CLIENT child, in the same trace.
    expect(continued.find((s) => s.name === 'tools/call read_text_file' && s.kind === 3)?.parentSpanId).toBe(request?.spanId)
    expect(continued.map((s) => s.name)).toContain('agt.policy.evaluate')
  })

  it('speaks the protocol asked for, under the service name asked for', () => {
    expect(new Set(receiver.encodings)).toEqual(new Set([ENCODING[protocol]]))
    expect(receiver.resources[0]).toMatchObject({'service.name': 'agentgov-e2e'})
  })

  it('exports the agt.policy.* metrics', () => {
    const names = new Set(receiver.metrics.map((m) => m.name))
    for (const name of ['agt.policy.evaluations', 'agt.policy.denials', 'agt.policy.latency_ms', 'mcp.server.operation.duration', 'mcp.client.operation.duration']) expect(names).toContain(name)
  })
})

describe('an HTTP face in front of an HTTP upstream, exporting with a percent-encoded --otlp-header', () => {
  const dir = tempDir()
  const state = join(dir.path, 'state')
  let receiver: Receiver
  let upstream: ChildProcess
  let proxy: ChildProcess
  let faceSession: string | undefined
  let port: number

  beforeAll(async () => {
    receiver = await startReceiver()
    port = await freePort()
    upstream = (await startUntil(process.execPath, [SERVERS.everything, 'streamableHttp'], {PORT: String(port)}, /listening on port/)).child
    const token = addToken(join(state, 'tokens.json'), 'alice')
    const policyFile = writePolicy(state, 'policies:\n  - name: http\n    agent: "*"\n    rules:\n      - id: echo\n        tools: ["ev.echo"]\n        action: allow\n')
    const started = await startUntil(
      process.execPath,
      [BIN, 'proxy', '--server', 'ev', '--policy', policyFile, '--listen', '127.0.0.1:0', '--upstream-url', `http://localhost:${port}/mcp`, '--otlp-endpoint', receiver.url, '--otlp-header', 'authorization=Bearer%20xyz'],
      {AGENTGOV_HOME: state, HOME: state, OTEL_SDK_DISABLED: 'false', OTEL_BSP_SCHEDULE_DELAY: '100'},
      /listening on (http:\S+)/,
    )
    proxy = started.child
    const client = new Client({name: 'http-agent', version: '1'})
    const transport = new StreamableHTTPClientTransport(new URL(started.match[1]), {requestInit: {headers: {Authorization: `Bearer ${token}`}}})
    await client.connect(transport)
    faceSession = transport.sessionId
    await client.callTool({name: 'echo', arguments: {message: 'hi'}})
    await client.close()
    proxy.kill('SIGTERM')
    await new Promise((resolve) => proxy.once('exit', resolve))
  })
  afterAll(async () => {
    proxy?.kill('SIGKILL')
    upstream?.kill()
    await receiver?.close()
    dir.cleanup()
  })

  it('sets mcp.session.id on both hops, each its own session, and server.address/port on the upstream span', () => {
    const server = receiver.spans.find((s) => s.name === 'tools/call echo' && s.kind === 2)
    const client = receiver.spans.find((s) => s.name === 'tools/call echo' && s.kind === 3)
    expect(faceSession).toBeTruthy()
    expect(attrs(server?.attributes)).toMatchObject({'mcp.session.id': faceSession, 'network.transport': 'tcp'})
    expect(attrs(server?.attributes)['server.address']).toBeUndefined()
    const hop = attrs(client?.attributes)
    expect(hop).toMatchObject({'server.address': 'localhost', 'network.transport': 'tcp'})
    expect(Number(hop['server.port'])).toBe(port)
    expect(hop['mcp.session.id']).toMatch(/\S/)
    expect(hop['mcp.session.id']).not.toBe(faceSession)
  })

  it('sends --otlp-header percent-decoded, as traces export does', () => {
    expect(receiver.headers.length).toBeGreaterThan(0)
    for (const headers of receiver.headers) expect(headers.authorization).toBe('Bearer xyz')
  })
})

describe('a stdio server behind the stdio face', () => {
  it('leaves server.address out of the upstream span (a pipe has none) and says network.transport pipe', async () => {
    const dir = tempDir()
    const receiver = await startReceiver()
    try {
      const connected = await connectThroughProxy({
        stateDir: join(dir.path, 'state'),
        policy: POLICY,
        server: 'filesystem',
        serverName: 'fs',
        serverArgs: [dir.path],
        agent: 'cursor',
        env: {OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url},
      })
      await connected.client.callTool({name: 'read_text_file', arguments: {path: join(dir.path, 'none.txt')}})
      await connected.close()
      for (let i = 0; i < 50 && !receiver.spans.some((s) => s.kind === 3); i++) await new Promise((resolve) => setTimeout(resolve, 100))
      const hop = attrs(receiver.spans.find((s) => s.name === 'tools/call read_text_file' && s.kind === 3)?.attributes)
      expect(hop['network.transport']).toBe('pipe')
      expect(hop['server.address']).toBeUndefined()
      expect(hop['mcp.session.id']).toBeUndefined()
    } finally {
      await receiver.close()
      dir.cleanup()
    }
  })
})
