import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

import {VERSION} from '../version.js'
import {SPAN_KIND, type SpanRecord, STATUS_CODE, toWireSpan, traceRequestFrame, traceRequestJson, type WireSpan} from './otlp-spans.js'
import {type AttributeValue, type DecisionRecord, KIND_OF_SPAN, type RecordKind, SPANS, type StoredRecord} from './record.js'

/**
 * OTLP JSON (the protobuf JSON mapping, as an OpenTelemetry Collector's file exporter writes it: one
 * ExportTraceServiceRequest per line) in both directions: `traces export` writes the local store in
 * it, and `report` reads it back, so a fleet whose spans went to a collector reports like one machine.
 * Only agentgov's own spans become records; anything else in the file is skipped. Which span a record
 * becomes, and back, is the record contract's table (record.ts).
 */

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
  const span = SPANS[record.kind]
  return {
    traceId: record.traceId ?? record.hash.slice(0, 32),
    spanId: record.hash.slice(32, 48),
    name: span.name,
    kind: SPAN_KIND.internal,
    startMs: record.time - span.durationMs(record),
    endMs: record.time,
    recordAttributes: {fields: span.attributes, record},
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
        const kind = KIND_OF_SPAN.get(span.name)
        if (kind) out.push(fromSpan(kind, span))
      }
    }
  }

  return out
}

function fromSpan(kind: RecordKind, span: OtlpSpan): DecisionRecord {
  const values = new Map<string, AttributeValue>()
  for (const attribute of span.attributes ?? []) {
    const value = valueOf(attribute.value)
    if (value !== undefined) values.set(attribute.key, value)
  }

  const end = unixMs(span.endTimeUnixNano)
  const contract = SPANS[kind]
  const record = contract.record(end, end - unixMs(span.startTimeUnixNano))
  record.traceId = hexId(span.traceId)
  for (const field of contract.attributes) {
    const value = values.get(field.key)
    if (value !== undefined) field.set(record, value)
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

/** The local store's records as the spans `traces export` hands the SDK (the same spans as the OTLP JSON lines). */
export function toWireSpans(records: readonly StoredRecord[]): WireSpan[] {
  return records.map((record) => toWireSpan(toSpan(record)))
}
