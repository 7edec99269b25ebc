import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

import {VERSION} from '../version.js'
import {type AttributeValue, SPAN_KIND, type SpanRecord, STATUS_CODE, traceRequestFrame, traceRequestJson} from './otlp-spans.js'
import type {Action, ApprovalChannel, ApprovalOutcome, DecisionRecord, RecordKind, Stage, StoredRecord} from './types.js'

/**
 * OTLP JSON (the protobuf JSON mapping, as an OpenTelemetry Collector's file exporter writes it: one
 * ExportTraceServiceRequest per line) in both directions: `traces export` writes the local store in
 * it, and `report` reads it back, so a fleet whose spans went to a collector reports like one machine.
 * Only agentgov's own spans become records; anything else in the file is skipped.
 */

const SPAN_NAME: Record<RecordKind, string> = {decision: 'agt.policy.evaluate', approval: 'agt.approval.request', trust: 'agt.trust.verify'}
const KIND_OF = new Map(Object.entries(SPAN_NAME).map(([kind, name]) => [name, kind as RecordKind]))
const SPANS_PER_REQUEST = 512

type AnyValue = {stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean}
interface KeyValue {
  key: string
  value: AnyValue
}

interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number | string
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes?: KeyValue[]
  status?: {code?: number | string; message?: string}
}

interface ExportTraceServiceRequest {
  resourceSpans?: Array<{
    resource?: {attributes?: KeyValue[]}
    scopeSpans?: Array<{scope?: {name?: string; version?: string}; spans?: OtlpSpan[]}>
  }>
}

/** The local store's records as OTLP JSON lines. Span ids come from record hashes: replaying twice sends the same spans. */
export function toOtlpJsonLines(records: readonly StoredRecord[], serviceName = 'agentgov'): string[] {
  const frame = traceRequestFrame({'service.name': serviceName, 'service.version': VERSION}, {name: 'agentgov', version: VERSION})
  const lines: string[] = []
  for (let i = 0; i < records.length; i += SPANS_PER_REQUEST) lines.push(traceRequestJson(frame, records.slice(i, i + SPANS_PER_REQUEST).map((r) => toSpan(r))))
  return lines
}

function toSpan(record: StoredRecord): SpanRecord {
  const durationMs = record.kind === 'decision' ? (record.latencyUs ?? 0) / 1000 : record.kind === 'approval' ? (record.approval?.waitedMs ?? 0) : 0
  const attributes: Record<string, AttributeValue> = {}
  const add = (key: string, value: number | string | null | undefined) => {
    if (value !== undefined && value !== null) attributes[key] = value
  }

  add('agt.agent.id', record.agent)
  if (record.kind === 'decision') {
    add('agt.policy.stage', record.stage)
    add('agt.policy.action', record.action)
    add('agt.policy.rule', record.rule)
    add('agt.policy.name', record.policy)
    add('agt.tool.name', record.tool)
    add('agt.server.name', record.server)
  } else if (record.kind === 'approval') {
    add('agt.policy.rule', record.rule)
    add('agt.tool.name', record.tool)
    add('agt.approval.outcome', record.approval?.outcome)
    add('agt.approval.approver', record.approval?.approver)
    add('agt.approval.channel', record.approval?.channel)
  } else {
    add('agt.trust.score', record.trust?.score)
    add('agt.trust.tier', record.trust?.tier)
    add('agt.trust.subject', record.trust?.subject)
  }

  return {
    traceId: record.traceId ?? record.hash.slice(0, 32),
    spanId: record.hash.slice(32, 48),
    name: SPAN_NAME[record.kind],
    kind: SPAN_KIND.internal,
    startMs: record.time - durationMs,
    endMs: record.time,
    attributes,
    status: {code: STATUS_CODE.ok},
  }
}

export interface OtlpReadResult {
  records: DecisionRecord[]
  /** Lines that were not valid JSON (a collector killed mid-write leaves one). */
  badLines: number
}

/** Records from an OTLP JSON lines file, in the window [since, until), ordered by time. */
export async function readOtlpJsonFile(path: string, window: {since?: number; until?: number} = {}): Promise<OtlpReadResult> {
  const since = window.since ?? -Infinity
  const until = window.until ?? Infinity
  const records: DecisionRecord[] = []
  let badLines = 0
  for await (const record of streamOtlpJsonFile(path, () => badLines++)) {
    if (record.time >= since && record.time < until) records.push(record)
  }

  return {records: records.sort((a, b) => a.time - b.time), badLines}
}

/**
 * Records from an OTLP JSON lines file one at a time, in file order, without holding the file: what
 * a report over a fleet's collector output needs. `onBadLine` hears of lines that are not JSON.
 */
export async function* streamOtlpJsonFile(path: string, onBadLine: () => void = () => {}): AsyncGenerator<DecisionRecord> {
  const lines = createInterface({input: createReadStream(path, 'utf8'), crlfDelay: Infinity})
  for await (const line of lines) {
    if (!line.trim()) continue
    let request: ExportTraceServiceRequest
    try {
      request = JSON.parse(line) as ExportTraceServiceRequest
    } catch {
      onBadLine()
      continue
    }

    yield* recordsOf(request)
  }
}

export function recordsOf(request: ExportTraceServiceRequest): DecisionRecord[] {
  const out: DecisionRecord[] = []
  for (const resourceSpans of request.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const kind = KIND_OF.get(span.name)
        if (kind) out.push(fromSpan(kind, span))
      }
    }
  }

  return out
}

function fromSpan(kind: RecordKind, span: OtlpSpan): DecisionRecord {
  const a = new Map((span.attributes ?? []).map((attribute) => [attribute.key, valueOf(attribute.value)]))
  const str = (key: string) => (a.has(key) ? String(a.get(key)) : undefined)
  const start = unixMs(span.startTimeUnixNano)
  const end = unixMs(span.endTimeUnixNano)
  const record: DecisionRecord = {kind, time: end, agent: str('agt.agent.id') ?? '', server: str('agt.server.name') ?? '', traceId: hexId(span.traceId)}
  const tool = str('agt.tool.name')
  if (tool !== undefined) record.tool = tool
  if (kind === 'decision') {
    record.stage = str('agt.policy.stage') as Stage
    record.action = str('agt.policy.action') as Action
    record.rule = str('agt.policy.rule') ?? null
    record.policy = str('agt.policy.name') ?? null
    record.latencyUs = Math.round((end - start) * 1000)
  } else if (kind === 'approval') {
    record.rule = str('agt.policy.rule') ?? null
    record.approval = {
      outcome: str('agt.approval.outcome') as ApprovalOutcome,
      approver: str('agt.approval.approver') ?? '',
      channel: str('agt.approval.channel') as ApprovalChannel,
      waitedMs: Math.round(end - start),
    }
  } else {
    const score = a.get('agt.trust.score')
    record.trust = {subject: str('agt.trust.subject') ?? ''}
    if (typeof score === 'number') record.trust.score = score
    const tier = str('agt.trust.tier')
    if (tier !== undefined) record.trust.tier = tier
  }

  return record
}

/** Milliseconds since the epoch, to the nearest microsecond (a double holds no more at this size). */
function unixMs(nanos: string): number {
  return Number((BigInt(nanos) + 500n) / 1000n) / 1000
}

function valueOf(value: AnyValue | undefined): boolean | number | string | undefined {
  if (!value) return undefined
  if (value.stringValue !== undefined) return value.stringValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return Number(value.doubleValue)
  return value.boolValue
}

/** The collector writes ids as hex; the protobuf JSON mapping proper uses base64. Accept both. */
function hexId(id: string): string {
  if (/^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16)) return id.toLowerCase()
  return Buffer.from(id, 'base64').toString('hex')
}
