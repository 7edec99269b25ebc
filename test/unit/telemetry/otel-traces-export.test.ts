import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tracesDir} from '../../../src/telemetry/store/segments.js'
import {TraceWriter} from '../../../src/telemetry/store/writer.js'
import type {DecisionRecord} from '../../../src/telemetry/types.js'
import {attrs, type Receiver, startReceiver} from '../../helpers/otlp-receiver.js'
import {runCli, tempDir} from '../../helpers/tree.js'

// `agentgov traces export` to an endpoint goes through the same SDK and OTEL_* configuration as the proxy.
const ENCODING = {'http/protobuf': 'protobuf', 'http/json': 'json', grpc: 'grpc'} as const

function record(i: number): DecisionRecord {
  return {kind: 'decision', time: Date.now() - 60_000 + i, agent: i % 2 ? 'cursor' : 'claude-code', server: 'github', tool: 'get_issue', stage: 'pre_tool', action: i % 3 ? 'allow' : 'deny', policy: 'team', rule: i % 3 ? 'reads' : 'no-writes', reason: `reason ${i}`, latencyUs: 20}
}

describe('traces export through the OpenTelemetry SDK', () => {
  const dir = tempDir()
  const state = join(dir.path, 'state')
  const env = {HOME: dir.path, AGENTGOV_HOME: state}
  let receiver: Receiver

  beforeAll(async () => {
    const writer = new TraceWriter(tracesDir(state))
    for (let i = 0; i < 1200; i++) writer.append(record(i))
    writer.close()
    receiver = await startReceiver()
  })

  afterAll(async () => {
    await receiver.close()
    dir.cleanup()
  })

  for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const) {
    it(`sends every record over ${protocol}, as OTEL_EXPORTER_OTLP_PROTOCOL says, with stable span ids`, async () => {
      receiver.spans.length = 0
      receiver.encodings.length = 0
      receiver.resources.length = 0
      const endpoint = protocol === 'grpc' ? receiver.grpcUrl : receiver.url
      // A sampler that keeps nothing does not apply to a replay: every stored record is sent.
      const otel = {OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_SERVICE_NAME: 'replay', OTEL_TRACES_SAMPLER: 'always_off'}
      const result = await runCli(['traces', 'export', '--json'], {...env, ...otel})
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({records: 1200, protocol})
      expect(receiver.spans).toHaveLength(1200)
      expect(new Set(receiver.encodings)).toEqual(new Set([ENCODING[protocol]]))
      expect(receiver.resources[0]).toMatchObject({'service.name': 'replay'})
      const denies = receiver.spans.filter((s) => attrs(s.attributes)['agt.policy.action'] === 'deny')
      expect(denies).toHaveLength(400)
      expect(attrs(denies[0].attributes)).toMatchObject({'agt.policy.rule': 'no-writes', 'agt.server.name': 'github', 'agt.policy.stage': 'pre_tool'})
      const first = receiver.spans.map((s) => s.spanId).sort()
      receiver.spans.length = 0
      const again = await runCli(['traces', 'export', '--otlp-endpoint', endpoint, '--agent', 'cursor'], {...env, OTEL_EXPORTER_OTLP_PROTOCOL: protocol})
      expect(again.stderr).toBe('')
      expect(again.code).toBe(0)
      expect(receiver.spans).toHaveLength(600)
      expect(receiver.spans.every((s) => first.includes(s.spanId))).toBe(true)
    }, 60_000)
  }

  it('a protocol the endpoint does not speak: exit 3, one sentence naming both, nothing half-claimed', async () => {
    receiver.spans.length = 0
    const wrong = await runCli(['traces', 'export'], {...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TIMEOUT: '1000'})
    expect(wrong.code).toBe(3)
    expect(wrong.stderr).toContain(`Sent 0 of 1200 span(s) to ${receiver.url} over grpc`)
    expect(wrong.stderr).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL/)
    expect(wrong.stderr.match(/Sent 0 of/g)).toHaveLength(1)
    expect(receiver.spans).toEqual([])
    const http = await runCli(['traces', 'export', '--otlp-endpoint', receiver.grpcUrl], {...env, OTEL_EXPORTER_OTLP_TIMEOUT: '1000'})
    expect(http.code).toBe(3)
    expect(http.stderr).toContain(`to ${receiver.grpcUrl}/v1/traces over http/protobuf`)
  }, 60_000)

  it('without --out, --otlp-endpoint or an OTEL endpoint: a usage error that says what to give', async () => {
    const none = await runCli(['traces', 'export'], env)
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/Nowhere to export to/)
  })
})
