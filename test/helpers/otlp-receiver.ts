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

/** A real OTLP/HTTP receiver on a free port, collecting what arrives. */
export async function startReceiver(): Promise<{url: string; spans: Span[]; metrics: Metric[]; close: () => Promise<void>}> {
  const spans: Span[] = []
  const metrics: Metric[] = []
  type Traces = {resourceSpans?: Array<{scopeSpans?: Array<{spans?: Span[]}>}>}
  type Metrics = {resourceMetrics?: Array<{scopeMetrics?: Array<{metrics?: Metric[]}>}>}
  const server = new MockOtlpServer({
    logLevel: 'error',
    services: ['http'],
    httpHostname: '127.0.0.1',
    httpPort: 0,
    onTrace: (request) => {
      for (const rs of (request as Traces).resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []))
    },
    onMetrics: (request) => {
      for (const rm of (request as Metrics).resourceMetrics ?? []) for (const sm of rm.scopeMetrics ?? []) metrics.push(...(sm.metrics ?? []))
    },
  })
  await server.start()
  return {url: String(server.httpUrl).replace(/\/$/, ''), spans, metrics, close: () => server.close()}
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
