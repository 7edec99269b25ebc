import {subscribe, unsubscribe} from 'node:diagnostics_channel'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {MockOtlpServer} from '@elastic/mockotlpserver'

export interface Span {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: Array<{key: string; value: Record<string, unknown>}>
  status?: {code?: number}
}

export interface Metric {
  name: string
  unit: string
  sum?: {isMonotonic?: boolean; dataPoints: Array<{attributes: Span['attributes']; asDouble?: number; asInt?: number}>}
  histogram?: {dataPoints: Array<{attributes: Span['attributes']; count: number | string; sum?: number}>}
}

export interface Receiver {
  /** OTLP/HTTP base URL (protobuf and JSON). */
  url: string
  /** OTLP/gRPC URL. */
  grpcUrl: string
  spans: Span[]
  metrics: Metric[]
  /** The resource attributes of every trace request, in arrival order. */
  resources: Array<Record<string, unknown>>
  /** How each request arrived: json (OTLP/HTTP JSON), protobuf (OTLP/HTTP protobuf) or grpc. */
  encodings: Encoding[]
  /** The HTTP headers of every OTLP/HTTP request, as the receiver saw them. */
  headers: Array<Record<string, string | string[] | undefined>>
  close: () => Promise<void>
}

type Traces = {resourceSpans?: Array<{resource?: {attributes?: Span['attributes']}; scopeSpans?: Array<{spans?: Span[]}>}>}
type Metrics = {resourceMetrics?: Array<{scopeMetrics?: Array<{metrics?: Metric[]}>}>}

/**
 * A decoded request in the shape of an OTLP/HTTP JSON one: ids in hex, 64-bit integers as decimal
 * strings. OTLP/HTTP protobuf arrives as protobufjs messages, gRPC as plain objects holding Buffers
 * and Longs; which one it was is recorded.
 */
function asJson<T>(request: unknown): {json: T; encoding: Encoding} {
  const message = request as {constructor?: {toObject?: (message: unknown, options: object) => unknown}}
  const protobuf = typeof message.constructor?.toObject === 'function'
  let binary = false
  const replacer = (_key: string, value: unknown) => {
    const v = value as {type?: string; data?: number[]; low?: number; high?: number; unsigned?: boolean}
    if (v && typeof v === 'object' && v.type === 'Buffer' && Array.isArray(v.data)) {
      binary = true
      return Buffer.from(v.data).toString('hex')
    }

    if (v && typeof v === 'object' && typeof v.low === 'number' && typeof v.high === 'number' && typeof v.unsigned === 'boolean' && Object.keys(v).length === 3) {
      binary = true
      const n = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0)
      return String(v.unsigned ? n : BigInt.asIntN(64, n))
    }

    return value
  }

  const object = protobuf ? message.constructor!.toObject!(request, {longs: String, enums: Number, bytes: Array}) : request
  const ids = (key: string, value: unknown) =>
    protobuf && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && Array.isArray(value) ? Buffer.from(value as number[]).toString('hex') : replacer(key, value)
  const json = JSON.parse(JSON.stringify(object, ids)) as T
  return {json, encoding: protobuf ? 'protobuf' : binary ? 'grpc' : 'json'}
}

type Encoding = 'grpc' | 'json' | 'protobuf'

/** A real OTLP receiver (@elastic/mockotlpserver) on free ports: OTLP/HTTP protobuf and JSON, and OTLP/gRPC. */
export async function startReceiver(): Promise<Receiver> {
  const spans: Span[] = []
  const metrics: Metric[] = []
  const resources: Array<Record<string, unknown>> = []
  const encodings: Receiver['encodings'] = []
  const headers: Receiver['headers'] = []
  // The receiver publishes each request's headers on this channel (its diagnostics_channel API).
  const onRequest = (message: unknown) => {
    const request = message as {transport?: string; headers?: Receiver['headers'][number]}
    if (request.transport === 'http' && request.headers) headers.push(request.headers)
  }
  subscribe('otlp.v1.request', onRequest)
  const server = new MockOtlpServer({
    logLevel: 'error',
    services: ['http', 'grpc'],
    httpHostname: '127.0.0.1',
    httpPort: 0,
    grpcHostname: '127.0.0.1',
    grpcPort: 0,
    onTrace: (request) => {
      const {json, encoding} = asJson<Traces>(request)
      encodings.push(encoding)
      for (const rs of json.resourceSpans ?? []) {
        resources.push(attrs(rs.resource?.attributes))
        for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []))
      }
    },
    onMetrics: (request) => {
      const {json, encoding} = asJson<Metrics>(request)
      encodings.push(encoding)
      for (const rm of json.resourceMetrics ?? []) for (const sm of rm.scopeMetrics ?? []) metrics.push(...(sm.metrics ?? []))
    },
  })
  await server.start()
  return {url: String(server.httpUrl).replace(/\/$/, ''), grpcUrl: String(server.grpcUrl).replace(/\/$/, ''), spans, metrics, resources, encodings, headers, close: async () => {
    unsubscribe('otlp.v1.request', onRequest)
    await server.close()
  }}
}

/** A backend that accepts connections and never answers. */
export async function startBlackHole(): Promise<{url: string; close: () => Promise<void>}> {
  const server: Server = createServer(() => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function attrs(list: Span['attributes'] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const {key, value} of list ?? []) out[key] = value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue
  return out
}
