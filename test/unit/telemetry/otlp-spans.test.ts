import {describe, expect, it} from 'vitest'

import {recordsOf} from '../../../src/telemetry/otlp-json.js'
import {SPAN_KIND, type SpanRecord, STATUS_CODE, traceRequestFrame, traceRequestJson, unixNanos} from '../../../src/telemetry/otlp-spans.js'

const TRACE = '0af7651916cd43dd8448eb211c80319c'

function span(over: Partial<SpanRecord> = {}): SpanRecord {
  return {
    name: 'agt.policy.evaluate',
    kind: SPAN_KIND.internal,
    traceId: TRACE,
    spanId: 'b7ad6b7169203331',
    startMs: 1_700_000_000_000.25,
    endMs: 1_700_000_000_001.5,
    attributes: {'agt.agent.id': 'claude-code', 'agt.policy.action': 'deny'},
    status: {code: STATUS_CODE.ok},
    ...over,
  }
}

const frame = traceRequestFrame({'service.name': 'agentgov', 'service.version': '1.2.3'}, {name: 'agentgov', version: '1.2.3'})
type Parsed = {
  resourceSpans: Array<{
    resource: {attributes: Array<{key: string; value: Record<string, unknown>}>}
    scopeSpans: Array<{scope: {name: string; version: string}; spans: Array<Record<string, unknown> & {attributes: Array<{key: string; value: Record<string, unknown>}>}>}>
  }>
}
const parse = (spans: SpanRecord[]) => JSON.parse(traceRequestJson(frame, spans)) as Parsed
const spansOf = (spans: SpanRecord[]) => parse(spans).resourceSpans[0].scopeSpans[0].spans

describe('OTLP JSON spans', () => {
  it('writes one ExportTraceServiceRequest with the resource, the scope and every span', () => {
    const request = parse([span(), span({spanId: '00f067aa0ba902b7'})])
    expect(request.resourceSpans).toHaveLength(1)
    expect(request.resourceSpans[0].resource.attributes).toEqual([
      {key: 'service.name', value: {stringValue: 'agentgov'}},
      {key: 'service.version', value: {stringValue: '1.2.3'}},
    ])
    expect(request.resourceSpans[0].scopeSpans[0].scope).toEqual({name: 'agentgov', version: '1.2.3'})
    expect(spansOf([span(), span()])).toHaveLength(2)
    expect(spansOf([])).toEqual([])
  })

  it('writes ids in hex, times in nanoseconds as strings, OTLP kind and status', () => {
    const [written] = spansOf([span({kind: SPAN_KIND.server, status: {code: STATUS_CODE.error, message: 'upstream "exited"\n'}})])
    expect(written).toMatchObject({
      traceId: TRACE,
      spanId: 'b7ad6b7169203331',
      name: 'agt.policy.evaluate',
      kind: 2,
      startTimeUnixNano: '1700000000000250000',
      endTimeUnixNano: '1700000000001500000',
      status: {code: 2, message: 'upstream "exited"\n'},
    })
    expect(written).not.toHaveProperty('parentSpanId')
    expect(spansOf([span()])[0].status).toEqual({code: 1})
  })

  it('sets the span flags: sampled, and whether the parent is remote', () => {
    expect(spansOf([span()])[0].flags).toBe(0x101)
    expect(spansOf([span({parentSpanId: 'aaaaaaaaaaaaaaaa', parentIsRemote: false})])[0]).toMatchObject({parentSpanId: 'aaaaaaaaaaaaaaaa', flags: 0x101})
    expect(spansOf([span({parentSpanId: 'aaaaaaaaaaaaaaaa', parentIsRemote: true, traceState: 'congo=t61rcWkgMzE'})])[0]).toMatchObject({flags: 0x301, traceState: 'congo=t61rcWkgMzE'})
  })

  it('types attribute values as the protobuf JSON mapping does and leaves absent ones out', () => {
    const [written] = spansOf([
      span({attributes: {s: 'a "quoted"\u2028 value ✓', i: 42, d: 0.9, b: true, nan: Number.NaN, inf: -Infinity, gone: undefined, none: null}}),
    ])
    expect(written.attributes).toEqual([
      {key: 's', value: {stringValue: 'a "quoted"\u2028 value ✓'}},
      {key: 'i', value: {intValue: 42}},
      {key: 'd', value: {doubleValue: 0.9}},
      {key: 'b', value: {boolValue: true}},
      {key: 'nan', value: {doubleValue: 'NaN'}},
      {key: 'inf', value: {doubleValue: '-Infinity'}},
    ])
  })

  it('is read back by the OTLP JSON reader that report uses', () => {
    const attributes = {'agt.agent.id': 'a', 'agt.policy.stage': 'pre_tool', 'agt.policy.action': 'allow', 'agt.server.name': 'gh', 'agt.tool.name': 'x'}
    const [record] = recordsOf(JSON.parse(traceRequestJson(frame, [span({attributes})])) as Parameters<typeof recordsOf>[0])
    expect(record).toMatchObject({kind: 'decision', agent: 'a', server: 'gh', tool: 'x', stage: 'pre_tool', action: 'allow', traceId: TRACE, latencyUs: 1250})
  })
})

describe('unixNanos', () => {
  it('keeps sub-millisecond precision beyond what one double can hold as nanoseconds', () => {
    expect(unixNanos(1_700_000_000_123)).toBe('1700000000123000000')
    expect(unixNanos(1_700_000_000_123.5)).toBe('1700000000123500000')
    expect(unixNanos(1.000_001)).toBe('1000001')
    expect(unixNanos(0.25)).toBe('250000')
  })

  it('carries a fraction that rounds up to a whole millisecond', () => {
    expect(unixNanos(41.999_999_9)).toBe('42000000')
  })

  it('writes 0 for times that are not positive', () => {
    expect(unixNanos(0)).toBe('0')
    expect(unixNanos(-5)).toBe('0')
    expect(unixNanos(Number.NaN)).toBe('0')
  })
})
