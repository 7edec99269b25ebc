import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Connected, connectThroughProxy} from '../helpers/mcp.js'
import {attrs, startReceiver} from '../helpers/otlp-receiver.js'
import {tempDir} from '../helpers/tree.js'

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
