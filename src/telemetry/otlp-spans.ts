/**
 * agentgov's spans as the proxy keeps them (SpanRecord), and the two forms they leave in: plain
 * spans for the OpenTelemetry SDK in the export worker (toWireSpan; live export and `traces export`
 * to an endpoint), and OTLP JSON (ExportTraceServiceRequest in the protobuf JSON mapping, ids in hex
 * as the collector's file exporter writes them) for `traces export --out`, which `report` reads back.
 */

import type {AttributeField, AttributeSource, AttributeValue} from './record.js'

export type {AttributeValue} from './record.js'

/** OTLP's numbering (the API's SpanKind + 1). */
export const SPAN_KIND = {internal: 1, server: 2, client: 3} as const
export const STATUS_CODE = {unset: 0, ok: 1, error: 2} as const

export interface SpanRecord {
  name: string
  kind: (typeof SPAN_KIND)[keyof typeof SPAN_KIND]
  traceId: string
  spanId: string
  parentSpanId?: string
  /** The parent is the caller's span, from another process (OTLP span flags say so). */
  parentIsRemote?: boolean
  traceState?: string
  /** Milliseconds since the epoch, sub-millisecond precision kept. */
  startMs: number
  endMs: number
  /** Members that are undefined or null are left out (so callers need not build a compacted copy). */
  attributes?: Readonly<Record<string, AttributeValue | null | undefined>>
  /** A record's span: the contract's attribute table for its kind, read from the record when written. */
  recordAttributes?: {fields: readonly AttributeField[]; record: AttributeSource}
  status: {code: (typeof STATUS_CODE)[keyof typeof STATUS_CODE]; message?: string}
}

/** A finished span as the export worker is handed it (it crosses a thread): a SpanRecord with its attributes read. */
export type WireSpan = Omit<SpanRecord, 'attributes' | 'recordAttributes'> & {attributes: Record<string, AttributeValue>}

/** A span as the SDK is handed it: attributes read (from the record, by the contract's table) and absent ones left out. */
export function toWireSpan(span: SpanRecord): WireSpan {
  const attributes: Record<string, AttributeValue> = {}
  if (span.recordAttributes) {
    const {fields, record} = span.recordAttributes
    for (const field of fields) {
      const value = field.get(record)
      if (value !== undefined && value !== null) attributes[field.key] = value
    }
  } else if (span.attributes) {
    for (const key in span.attributes) {
      const value = span.attributes[key]
      if (value !== undefined && value !== null) attributes[key] = value
    }
  }

  return {
    name: span.name,
    kind: span.kind,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    parentIsRemote: span.parentIsRemote,
    traceState: span.traceState,
    startMs: span.startMs,
    endMs: span.endMs,
    attributes,
    status: span.status,
  }
}

// W3C trace flags in the low byte; 0x100: "has is_remote" is known; 0x200: the parent is remote.
const FLAGS_SAMPLED = 0x1
const FLAGS_HAS_IS_REMOTE = 0x100
const FLAGS_IS_REMOTE = 0x200

/** The part of every request that names the resource and scope, written once per exporter. */
export interface TraceRequestFrame {
  head: string
  tail: string
}

export function traceRequestFrame(resource: Readonly<Record<string, AttributeValue>>, scope: {name: string; version: string}): TraceRequestFrame {
  return {
    head: `{"resourceSpans":[{"resource":{"attributes":${attributesJson(resource)},"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":${JSON.stringify(scope.name)},"version":${JSON.stringify(scope.version)}},"spans":[`,
    tail: ']}]}]}',
  }
}

/** One ExportTraceServiceRequest holding `spans` (only sampled spans are ever recorded). */
export function traceRequestJson(frame: TraceRequestFrame, spans: readonly SpanRecord[]): string {
  // Joined once rather than appended piece by piece: a flat string encodes to bytes at full speed.
  const parts = new Array<string>(spans.length)
  for (let i = 0; i < spans.length; i++) parts[i] = spanJson(spans[i])
  return frame.head + parts.join(',') + frame.tail
}

function spanJson(span: SpanRecord): string {
  let json = `{"traceId":"${span.traceId}","spanId":"${span.spanId}"`
  if (span.parentSpanId) json += `,"parentSpanId":"${span.parentSpanId}"`
  if (span.traceState) json += `,"traceState":${JSON.stringify(span.traceState)}`
  json += `,"name":${JSON.stringify(span.name)},"kind":${span.kind},"startTimeUnixNano":"${unixNanos(span.startMs)}","endTimeUnixNano":"${unixNanos(span.endMs)}"`
  // Empty events and links and zero dropped counts are proto3 defaults: left out, as the mapping allows.
  json += `,"attributes":${span.recordAttributes ? recordAttributesJson(span.recordAttributes.fields, span.recordAttributes.record) : attributesJson(span.attributes ?? {})}`
  json += span.status.message === undefined ? `,"status":{"code":${span.status.code}}` : `,"status":{"code":${span.status.code},"message":${JSON.stringify(span.status.message)}}`
  const flags = FLAGS_SAMPLED | FLAGS_HAS_IS_REMOTE | (span.parentIsRemote ? FLAGS_IS_REMOTE : 0)
  return `${json},"flags":${flags}}`
}

function attributesJson(attributes: Readonly<Record<string, AttributeValue | null | undefined>>): string {
  let json = '['
  for (const key in attributes) {
    const value = attributes[key]
    if (value === undefined || value === null) continue
    if (json.length > 1) json += ','
    json += keyPrefix(key) + anyValueJson(value) + '}'
  }

  return json + ']'
}

function recordAttributesJson(fields: readonly AttributeField[], record: AttributeSource): string {
  let json = '['
  for (const field of fields) {
    const value = field.get(record)
    if (value === undefined || value === null) continue
    if (json.length > 1) json += ','
    json += keyPrefix(field.key) + anyValueJson(value) + '}'
  }

  return json + ']'
}

// Attribute keys come from a short fixed list (the contract's): each is escaped once.
const keyPrefixes = new Map<string, string>()
const MAX_KEY_PREFIXES = 256

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key)
  if (prefix === undefined) {
    prefix = `{"key":${JSON.stringify(key)},"value":`
    if (keyPrefixes.size < MAX_KEY_PREFIXES) keyPrefixes.set(key, prefix)
  }

  return prefix
}

function anyValueJson(value: AttributeValue): string {
  if (typeof value === 'string') return `{"stringValue":${JSON.stringify(value)}}`
  if (typeof value === 'boolean') return `{"boolValue":${value}}`
  if (Number.isSafeInteger(value)) return `{"intValue":${value}}`
  // The protobuf JSON mapping spells the non-finite doubles as strings.
  return Number.isFinite(value) ? `{"doubleValue":${value}}` : `{"doubleValue":"${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}"}`
}

/**
 * Nanoseconds since the epoch as a decimal string, from milliseconds with a fraction. Done in two
 * parts: the product itself (~1.8e18) is beyond a double's exact integers.
 */
export function unixNanos(ms: number): string {
  if (!(ms > 0)) return '0'
  let whole = Math.floor(ms)
  let fraction = Math.round((ms - whole) * 1e6)
  if (fraction >= 1e6) {
    whole += 1
    fraction -= 1e6
  }

  return whole === 0 ? String(fraction) : `${whole}${String(fraction).padStart(6, '0')}`
}
