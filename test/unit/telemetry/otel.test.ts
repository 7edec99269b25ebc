import {execFile} from 'node:child_process'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseHeaderFlags, parsePairs, resolveOtelConfig} from '../../../src/telemetry/config.js'
import {createTelemetry} from '../../../src/telemetry/index.js'
import {readStore} from '../../../src/telemetry/store/read.js'
import {tracesDir} from '../../../src/telemetry/store/segments.js'
import {tempDir} from '../../helpers/tree.js'
import {attrs, type Metric, type Receiver, startBlackHole, startReceiver, type Span} from '../../helpers/otlp-receiver.js'

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c'
const CALLER_SPAN = 'b7ad6b7169203331'
const SPAN_KIND = {INTERNAL: 1, SERVER: 2, CLIENT: 3}
const STATUS = {OK: 1, ERROR: 2}

async function until<T>(what: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = what()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const
const ENCODING = {'http/protobuf': 'protobuf', 'http/json': 'json', grpc: 'grpc'} as const

describe.each(PROTOCOLS)('OTLP export over %s against a real receiver', (protocol) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  const state = tempDir('agentgov-otel-')
  let spans: Span[]
  let metrics: Metric[]
  let propagated: {request?: string; upstream?: string}
  let endedAt: number
  const warnings: string[] = []

  beforeAll(async () => {
    receiver = await startReceiver()
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? receiver.grpcUrl : receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: 'agentgov-test',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=ci,team=gov%20ops',
    }
    const telemetry = await createTelemetry({stateDir: state.path, env, warn: (m) => warnings.push(m)})
    const request = telemetry.request({
      method: 'tools/call',
      tool: 'create_issue',
      requestId: 7,
      sessionId: 'sess-1',
      protocolVersion: '2025-06-18',
      transport: 'pipe',
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
      upstream: {transport: 'tcp', address: 'mcp.example.com', port: 8443},
    })
    telemetry.decision({agent: 'claude-code', server: 'github', tool: 'create_issue', stage: 'pre_tool', action: 'deny', policy: 'team', rule: 'no-writes', reason: 'writes need approval', latencyUs: 40, requestId: 7})
    const upstream = request.upstream()
    propagated = {request: request.traceparent, upstream: upstream.traceparent}
    upstream.end()
    request.end({errorType: '-32001'})
    endedAt = Date.now()
    // Spans are made after the call's turn of the event loop: what they record is when the call happened.
    await new Promise((resolve) => setTimeout(resolve, 30))
    telemetry.approval(
      {agent: 'claude-code', server: 'github', tool: 'merge', rule: 'ask-merge', approval: {outcome: 'approved', approver: 'alice', channel: 'cli', waitedMs: 1500}},
      {traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`},
    )
    telemetry.trust({agent: 'claude-code', server: 'github', trust: {subject: {kind: 'tool-pin', name: 'create_issue'}, ok: true, score: 0.9, tier: 'trusted'}})
    const failing = telemetry.request({method: 'tools/call', tool: 'crash', requestId: 8, transport: 'tcp'})
    failing.end({failed: true, message: 'upstream exited', errorType: '-32603'})
    telemetry.request({method: 'tools/list', requestId: 9, transport: 'pipe'}).end()
    telemetry.request({method: 'prompts/get', prompt: 'summarize', requestId: 10, transport: 'pipe'}).end()
    telemetry.request({method: 'resources/read', resourceUri: 'file:///a.txt', requestId: 11, transport: 'pipe'}).end()
    await telemetry.shutdown()
    spans = receiver.spans
    metrics = receiver.metrics
  })

  afterAll(async () => {
    await receiver.close()
    state.cleanup()
  })

  const span = (name: string, kind?: number) => {
    const found = spans.find((s) => s.name === name && (kind === undefined || s.kind === kind))
    if (!found) throw new Error(`no span ${name}; got ${spans.map((s) => s.name).join(', ')}`)
    return found
  }

  it('sends agt.policy.evaluate with exactly the contract attributes; a deny is status OK', () => {
    const s = span('agt.policy.evaluate')
    expect(s.kind).toBe(SPAN_KIND.INTERNAL)
    expect(s.status?.code).toBe(STATUS.OK)
    expect(attrs(s.attributes)).toEqual({
      'agt.agent.id': 'claude-code',
      'agt.policy.stage': 'pre_tool',
      'agt.policy.action': 'deny',
      'agt.policy.rule': 'no-writes',
      'agt.policy.name': 'team',
      'agt.tool.name': 'create_issue',
      'agt.server.name': 'github',
    })
    // The decision was taken inside the request: it is the request span's child.
    expect(s.parentSpanId).toBe(span('tools/call create_issue', SPAN_KIND.SERVER).spanId)
  })

  it('sends the MCP request span as SERVER, continuing the caller trace from params._meta', () => {
    const s = span('tools/call create_issue', SPAN_KIND.SERVER)
    expect(s.traceId).toBe(CALLER_TRACE)
    expect(s.parentSpanId).toBe(CALLER_SPAN)
    expect(s.status?.code).toBe(STATUS.OK)
    expect(attrs(s.attributes)).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'create_issue',
      'gen_ai.operation.name': 'execute_tool',
      'jsonrpc.request.id': '7',
      'jsonrpc.protocol.version': '2.0',
      'mcp.session.id': 'sess-1',
      'mcp.protocol.version': '2025-06-18',
      'network.transport': 'pipe',
      'rpc.response.status_code': '-32001',
      'error.type': '-32001',
    })
    const client = spans.find((c) => c.name === 'tools/call create_issue' && c.kind === SPAN_KIND.CLIENT)
    expect(client?.parentSpanId).toBe(s.spanId)
    // The hop to the upstream server names the server it reached.
    expect(attrs(client?.attributes)).toMatchObject({'network.transport': 'tcp', 'server.address': 'mcp.example.com', 'server.port': expect.anything()})
    expect(Number(attrs(client?.attributes)['server.port'])).toBe(8443)
    // The ids handed out during the call (and sent upstream in params._meta) are the exported spans' ids.
    expect(propagated.request).toBe(`00-${CALLER_TRACE}-${s.spanId}-01`)
    expect(propagated.upstream).toBe(`00-${CALLER_TRACE}-${client?.spanId}-01`)
    const endMs = Number(BigInt(String(s.endTimeUnixNano)) / 1_000_000n)
    expect(endMs).toBeLessThanOrEqual(endedAt)
    expect(endMs).toBeGreaterThan(endedAt - 1000)
    expect(span('tools/list').kind).toBe(SPAN_KIND.SERVER)
    expect(attrs(span('tools/list').attributes)['gen_ai.operation.name']).toBeUndefined()
    expect(attrs(span('prompts/get summarize').attributes)).toMatchObject({'mcp.method.name': 'prompts/get', 'gen_ai.prompt.name': 'summarize'})
    expect(attrs(span('resources/read').attributes)).toMatchObject({'mcp.method.name': 'resources/read', 'mcp.resource.uri': 'file:///a.txt'})
  })

  it('arrives in the protocol asked for, under the resource the environment names', () => {
    expect(new Set(receiver.encodings)).toEqual(new Set([ENCODING[protocol]]))
    expect(receiver.resources[0]).toMatchObject({'service.name': 'agentgov-test', 'deployment.environment.name': 'ci', team: 'gov ops'})
  })

  it('marks only failures as errors', () => {
    const s = span('tools/call crash')
    expect(s.status?.code).toBe(STATUS.ERROR)
    expect(attrs(s.attributes)['network.transport']).toBe('tcp')
  })

  it('sends agt.approval.request and agt.trust.verify with the contract attributes', () => {
    const a = span('agt.approval.request')
    expect(a.traceId).toBe(CALLER_TRACE)
    expect(attrs(a.attributes)).toEqual({
      'agt.agent.id': 'claude-code',
      'agt.policy.rule': 'ask-merge',
      'agt.tool.name': 'merge',
      'agt.approval.outcome': 'approved',
      'agt.approval.approver': 'alice',
      'agt.approval.channel': 'cli',
    })
    expect(BigInt(a.endTimeUnixNano) - BigInt(a.startTimeUnixNano)).toBe(1_500_000_000n)
    expect(attrs(span('agt.trust.verify').attributes)).toEqual({'agt.agent.id': 'claude-code', 'agt.trust.score': 0.9, 'agt.trust.tier': 'trusted', 'agt.trust.subject': 'tool-pin:create_issue'})
  })

  it('sends the contract metrics with their instruments, units and attributes', () => {
    const metric = (name: string) => {
      const found = metrics.find((m) => m.name === name)
      if (!found) throw new Error(`no metric ${name}; got ${metrics.map((m) => m.name).join(', ')}`)
      return found
    }

    const evaluations = metric('agt.policy.evaluations')
    expect(evaluations.unit).toBe('1')
    expect(evaluations.sum?.isMonotonic).toBe(true)
    expect(evaluations.sum?.dataPoints.map((p) => attrs(p.attributes))).toEqual([{'agt.policy.action': 'deny', 'agt.policy.stage': 'pre_tool'}])

    const denials = metric('agt.policy.denials')
    expect(denials.unit).toBe('1')
    expect(denials.sum?.isMonotonic).toBe(true)
    expect(attrs(denials.sum?.dataPoints[0].attributes)).toEqual({'agt.policy.rule': 'no-writes', 'agt.policy.stage': 'pre_tool', 'agt.tool.name': 'create_issue'})

    const latency = metric('agt.policy.latency_ms')
    expect(latency.unit).toBe('ms')
    expect(latency.histogram?.dataPoints[0].sum).toBeCloseTo(0.04)
    expect(attrs(latency.histogram?.dataPoints[0].attributes)).toEqual({'agt.policy.action': 'deny', 'agt.policy.stage': 'pre_tool'})

    const approvals = metric('agt.approval.requests')
    expect(approvals.unit).toBe('1')
    expect(attrs(approvals.sum?.dataPoints[0].attributes)).toEqual({'agt.policy.rule': 'ask-merge', 'agt.approval.outcome': 'approved'})

    const duration = metric('mcp.server.operation.duration')
    expect(duration.unit).toBe('s')
    expect(duration.histogram).toBeDefined()
    expect(duration.histogram?.dataPoints.map((p) => attrs(p.attributes))).toContainEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'create_issue',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.protocol.version': '2025-06-18',
      'network.transport': 'pipe',
      'rpc.response.status_code': '-32001',
      'error.type': '-32001',
    })
    expect(duration.histogram?.dataPoints.map((p) => attrs(p.attributes))).toContainEqual({'mcp.method.name': 'tools/list', 'network.transport': 'pipe'})

    // The hop upstream, as the MCP conventions name a client's view of an operation.
    const client = metric('mcp.client.operation.duration')
    expect(client.unit).toBe('s')
    const points = client.histogram?.dataPoints.map((p) => attrs(p.attributes)) ?? []
    expect(points).toHaveLength(1)
    expect(points[0]).toMatchObject({'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'create_issue', 'network.transport': 'tcp', 'server.address': 'mcp.example.com'})
    expect(Number(points[0]['server.port'])).toBe(8443)
  })

  it('also keeps every decision in the local store, under the caller trace id', () => {
    const records = readStore(tracesDir(state.path))
    expect(records.map((r) => r.kind)).toEqual(['decision', 'approval', 'trust'])
    expect(records[0]).toMatchObject({action: 'deny', rule: 'no-writes', reason: 'writes need approval', traceId: CALLER_TRACE})
    expect(warnings).toEqual([])
  })
})

describe("the caller's sampling decision and tracestate", () => {
  it('sends no spans for an unsampled caller but still propagates its trace; keeps a valid tracestate on the trace', async () => {
    const receiver = await startReceiver()
    const state = tempDir('agentgov-otel-')
    const telemetry = await createTelemetry({stateDir: state.path, env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url}, warn: () => {}})
    const unsampledTrace = '11111111111111111111111111111111'
    const quiet = telemetry.request({method: 'tools/call', tool: 'a', requestId: 1, transport: 'pipe', traceparent: `00-${unsampledTrace}-${CALLER_SPAN}-00`})
    telemetry.decision({agent: 'x', server: 's', tool: 'a', stage: 'pre_tool', action: 'allow', policy: null, rule: null, reason: 'ok', latencyUs: 3, requestId: 1})
    const quietHop = quiet.upstream()
    expect(quietHop.traceparent).toMatch(new RegExp(`^00-${unsampledTrace}-[0-9a-f]{16}-00$`))
    quietHop.end()
    quiet.end()
    const traced = telemetry.request({method: 'tools/call', tool: 'b', requestId: 2, transport: 'pipe', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'congo=t61rcWkgMzE'})
    telemetry.decision({agent: 'x', server: 's', tool: 'b', stage: 'pre_tool', action: 'allow', policy: null, rule: null, reason: 'ok', latencyUs: 3, requestId: 2})
    traced.end()
    telemetry.request({method: 'tools/list', requestId: 3, transport: 'pipe', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'bad=\u0001'}).end()
    await telemetry.shutdown()
    const spans = receiver.spans as Array<Span & {traceState?: string}>
    expect(spans.filter((s) => s.traceId === unsampledTrace)).toEqual([])
    expect(spans.filter((s) => s.name !== 'tools/list').map((s) => [s.name, s.traceState])).toEqual(
      expect.arrayContaining([
        ['tools/call b', 'congo=t61rcWkgMzE'],
        ['agt.policy.evaluate', 'congo=t61rcWkgMzE'],
      ]),
    )
    expect(spans.find((s) => s.name === 'tools/list')?.traceState).toBeUndefined()
    await receiver.close()
    state.cleanup()
  })
})

describe('when the backend is down or slow', () => {
  for (const kind of ['down', 'slow'] as const) {
    it(`${kind}: recording returns at once, the drop is counted and warned about once, shutdown is bounded`, async () => {
      const state = tempDir('agentgov-otel-')
      const hole = kind === 'slow' ? await startBlackHole() : undefined
      // Port 9 (discard) on loopback: nothing listens there, connections are refused.
      const url = hole?.url ?? 'http://127.0.0.1:9'
      const warnings: string[] = []
      const telemetry = await createTelemetry({stateDir: state.path, env: {OTEL_EXPORTER_OTLP_ENDPOINT: url}, warn: (m) => warnings.push(m)})
      const started = performance.now()
      for (let i = 0; i < 5000; i++) {
        telemetry.decision({agent: 'a', server: 's', tool: 't', stage: 'pre_tool', action: 'allow', policy: null, rule: null, reason: 'ok', latencyUs: 3})
        telemetry.request({method: 'tools/call', tool: 't', requestId: i, transport: 'pipe'}).end()
      }

      // Not a speed figure (that is the telemetry bench): a recorder that waited on the dead or silent
      // endpoint would take at least one export timeout (seconds) per batch; this loop takes milliseconds.
      expect(performance.now() - started).toBeLessThan(10_000)
      const shutdownStart = performance.now()
      await telemetry.shutdown()
      expect(performance.now() - shutdownStart).toBeLessThan(2600)
      const stats = telemetry.stats()
      // 10,000 spans against a queue of 2,048: most are dropped at once, the rest when export fails or time runs out.
      expect(stats.droppedSpans).toBeGreaterThanOrEqual(10_000 - 2048)
      expect(stats.stored).toBe(5000)
      expect(warnings.filter((w) => /could not be delivered/.test(w))).toHaveLength(1)
      expect(warnings.length).toBeLessThanOrEqual(2)
      await hole?.close()
      state.cleanup()
    }, 20_000)
  }
})

describe('a protocol that does not match the endpoint', () => {
  const cases = [
    {protocol: 'grpc', to: 'the OTLP/HTTP port', url: (r: Receiver) => r.url},
    {protocol: 'http/protobuf', to: 'the gRPC port', url: (r: Receiver) => r.grpcUrl},
    {protocol: 'http/json', to: 'the gRPC port', url: (r: Receiver) => r.grpcUrl},
  ] as const
  for (const {protocol, to, url} of cases) {
    it(`${protocol} to ${to}: said once, naming the protocol and endpoint; calls unaffected`, async () => {
      const receiver = await startReceiver()
      const state = tempDir('agentgov-otel-')
      const warnings: string[] = []
      const env = {OTEL_EXPORTER_OTLP_ENDPOINT: url(receiver), OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_EXPORTER_OTLP_TIMEOUT: '1000', OTEL_BSP_SCHEDULE_DELAY: '50'}
      const telemetry = await createTelemetry({stateDir: state.path, env, warn: (m) => warnings.push(m)})
      for (let i = 0; i < 20; i++) {
        const request = telemetry.request({method: 'tools/call', tool: 't', requestId: i, transport: 'pipe'})
        telemetry.decision({agent: 'a', server: 's', tool: 't', stage: 'pre_tool', action: 'allow', policy: null, rule: null, reason: 'ok', latencyUs: 3, requestId: i})
        request.end()
      }

      await until(() => (warnings.some((w) => w.includes('failed')) ? true : undefined), 15_000)
      await telemetry.shutdown()
      const failures = warnings.filter((w) => w.includes('failed'))
      expect(failures).toHaveLength(1)
      expect(failures[0]).toContain(`over ${protocol}`)
      expect(failures[0]).toContain(url(receiver).replace(/\/$/, ''))
      expect(failures[0]).toMatch(/set OTEL_EXPORTER_OTLP_PROTOCOL/)
      expect(receiver.spans).toEqual([])
      expect(telemetry.stats()).toMatchObject({stored: 20, storeErrors: 0})
      expect(telemetry.stats().droppedSpans).toBe(40)
      await receiver.close()
      state.cleanup()
    }, 30_000)
  }
})

describe('samplers and propagators from the environment', () => {
  const run = async (extra: Record<string, string>) => {
    const receiver = await startReceiver()
    const state = tempDir('agentgov-otel-')
    const telemetry = await createTelemetry({stateDir: state.path, env: {OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...extra}, warn: () => {}})
    const caller = telemetry.request({method: 'tools/call', tool: 'a', requestId: 1, transport: 'pipe', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`})
    const hop = caller.upstream()
    hop.end()
    caller.end()
    for (let i = 2; i < 42; i++) telemetry.request({method: 'tools/list', requestId: i, transport: 'pipe'}).end()
    await telemetry.shutdown()
    await receiver.close()
    state.cleanup()
    return {spans: receiver.spans, metrics: receiver.metrics, upstream: hop.traceparent}
  }

  it('always_off: no spans, and the flag sent upstream says so; metrics still flow', async () => {
    const {spans, metrics, upstream} = await run({OTEL_TRACES_SAMPLER: 'always_off'})
    expect(spans).toEqual([])
    expect(upstream).toMatch(new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-00$`))
    expect(metrics.map((m) => m.name)).toContain('mcp.server.operation.duration')
  })

  it('parentbased_traceidratio 0: a sampled caller is followed, new traces are not', async () => {
    const {spans, upstream} = await run({OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0'})
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([CALLER_TRACE]))
    expect(spans).toHaveLength(2)
    expect(upstream).toMatch(/-01$/)
  })

  it('OTEL_PROPAGATORS=none: the caller\'s traceparent is not continued and none is sent upstream', async () => {
    const {spans, upstream} = await run({OTEL_PROPAGATORS: 'none'})
    expect(upstream).toBeUndefined()
    expect(spans.length).toBe(42)
    expect(spans.some((s) => s.traceId === CALLER_TRACE)).toBe(false)
  })
})

describe('flush on exit', () => {
  it('a process that records and exits right after shutdown() has delivered its spans', async () => {
    const receiver = await startReceiver()
    const state = tempDir('agentgov-otel-')
    const child = join(import.meta.dirname, 'telemetry-child.mjs')
    const code = await new Promise<number>((resolve) => {
      execFile(process.execPath, [child, state.path, receiver.url], (error) => resolve(error ? 1 : 0))
    })
    expect(code).toBe(0)
    const s = await until(() => receiver.spans.find((x) => x.name === 'agt.policy.evaluate'))
    expect(attrs(s.attributes)['agt.agent.id']).toBe('child')
    expect(receiver.metrics.map((m) => m.name)).toContain('agt.policy.evaluations')
    expect(readStore(tracesDir(state.path))).toHaveLength(1)
    await receiver.close()
    state.cleanup()
  })
})

describe('configuration from OTEL_* and flags', () => {
  it('is off without an endpoint and with OTEL_SDK_DISABLED', () => {
    expect(resolveOtelConfig({})).toBeUndefined()
    expect(resolveOtelConfig({OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318'})).toBeUndefined()
  })

  it('resolves each signal\'s exporters, protocol and endpoint as the SDK will', () => {
    const c = resolveOtelConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc',
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci,service.name=fromattrs',
      PATH: '/usr/bin',
    })
    expect(c).toMatchObject({
      traces: {exporters: ['otlp', 'console'], protocol: 'http/protobuf', endpoint: 'http://tempo:4318/custom'},
      metrics: {exporters: ['otlp'], protocol: 'grpc', endpoint: 'http://collector:4318/'},
      serviceName: 'fromattrs',
      sampler: {name: 'parentbased_always_on', ratio: 1},
      propagate: true,
      notes: [],
    })
    // The SDK in the worker reads only the OTEL_* variables.
    expect(c?.sdkEnv.PATH).toBeUndefined()
    expect(resolveOtelConfig({OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc'})).toBeUndefined()
    expect(resolveOtelConfig({OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none'})).toMatchObject({traces: {exporters: ['console']}, metrics: undefined})
    expect(resolveOtelConfig({OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc'})?.traces?.endpoint).toBe('http://x:4317')
  })

  it('notes what it does not understand and says what it uses instead', () => {
    const c = resolveOtelConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '7',
      OTEL_PROPAGATORS: 'b3,tracecontext',
      OTEL_METRICS_EXPORTER: 'prometheus',
    })
    expect(c?.traces?.protocol).toBe('http/protobuf')
    expect(c?.sampler).toEqual({name: 'traceidratio', ratio: 1})
    expect(c?.propagate).toBe(true)
    expect(c?.notes).toHaveLength(5)
    expect(c?.notes.join('\n')).toMatch(/http\/xml.*http\/protobuf[\s\S]*prometheus[\s\S]*OTEL_TRACES_SAMPLER_ARG=7[\s\S]*b3/)
    expect(resolveOtelConfig({OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_PROPAGATORS: 'none'})?.propagate).toBe(false)
    expect(resolveOtelConfig({OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25'})?.sampler).toEqual({
      name: 'parentbased_traceidratio',
      ratio: 0.25,
    })
  })

  it('folds flags into the environment the SDK reads: endpoint over every endpoint variable, headers percent-decoded', () => {
    const c = resolveOtelConfig(
      {OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=x%2Cy', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://env:4318/t', OTEL_SERVICE_NAME: 'env'},
      {otlpEndpoint: 'http://flag:4318', otlpHeaders: parseHeaderFlags(['a=2', 'authorization=Bearer%20xyz']), serviceName: 'flag'},
    )
    expect(c).toMatchObject({traces: {endpoint: 'http://flag:4318/v1/traces'}, metrics: {endpoint: 'http://flag:4318/v1/metrics'}, serviceName: 'flag'})
    expect(c?.sdkEnv.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBeUndefined()
    expect(parsePairs(c?.sdkEnv.OTEL_EXPORTER_OTLP_HEADERS)).toEqual({a: '2', b: 'x,y', authorization: 'Bearer xyz'})
    expect(() => parseHeaderFlags(['novalue'])).toThrow(/not name=value/)
  })

  it('does not load the SDK when export is off', async () => {
    const state = tempDir('agentgov-otel-')
    const telemetry = await createTelemetry({stateDir: state.path, env: {}})
    expect(telemetry.request({method: 'tools/call', requestId: 1, transport: 'pipe'}).traceparent).toBeUndefined()
    await telemetry.shutdown()
    state.cleanup()
  })
})
