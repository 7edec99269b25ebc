/**
 * The one place that wires OpenTelemetry export: OTLP/HTTP spans and metrics, bounded and counted.
 * Loaded only by dynamic import, and only when config.ts found an endpoint, so a proxy with export
 * off never loads any of it.
 *
 * Metrics go through the SDK's MeterProvider and periodic reader. Spans are written by otlp-spans.ts
 * (see there for why not through the SDK's Tracer) and sent by the SDK's own OTLP/HTTP export
 * delegate: the same transport, retries, timeouts and concurrency bound as its OTLPTraceExporter.
 * Providers are not registered globally, which keeps several Telemetry instances (tests, `traces
 * export`) independent.
 */
import type {Meter} from '@opentelemetry/api'
import {ExportResultCode, type ExportResult} from '@opentelemetry/core'
import {OTLPMetricExporter} from '@opentelemetry/exporter-metrics-otlp-http'
import {convertLegacyHttpOptions, createOtlpHttpExportDelegate} from '@opentelemetry/otlp-exporter-base/node-http'
import {resourceFromAttributes} from '@opentelemetry/resources'
import {
  type AggregationOption,
  type AggregationTemporality,
  type InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics'

import {VERSION} from '../version.js'
import type {OtelConfig} from './config.js'
import {type SpanRecord, traceRequestFrame, traceRequestJson} from './otlp-spans.js'

/** Spans waiting for or in export; more are dropped and counted. */
export const MAX_QUEUE = 2048
const EXPORT_TIMEOUT_MS = 5000

export interface OtelRuntime {
  /** Whether spans are exported at all (OTEL_TRACES_EXPORTER=none turns them off). */
  readonly tracing: boolean
  meter?: Meter
  /** Sends finished spans now, as one request; never throws, never waits. */
  exportSpans(spans: SpanRecord[]): void
  readonly droppedSpans: number
  readonly failedMetricExports: number
  /** Flush and stop; resolves within timeoutMs whatever the backend does. */
  shutdown(timeoutMs: number): Promise<void>
}

interface Counters {
  droppedSpans: number
  failedMetricExports: number
  inFlight: number
}

export function startOtel(config: OtelConfig, warn: (message: string) => void): OtelRuntime {
  const counters: Counters = {droppedSpans: 0, failedMetricExports: 0, inFlight: 0}
  const resourceAttributes = {...config.resourceAttributes, 'service.name': config.serviceName, 'service.version': VERSION}
  let warned = false
  const warnOnce = (what: string, url: string, result: ExportResult) => {
    if (warned) return
    warned = true
    warn(`OTLP export of ${what} to ${url} failed (${result.error?.message ?? 'unknown error'}); dropping them and counting. Tool calls are not affected.`)
  }

  const spans = config.tracesUrl ? spanExport(config.tracesUrl, config, resourceAttributes, counters, warnOnce) : undefined

  let meterProvider: MeterProvider | undefined
  if (config.metricsUrl) {
    const url = config.metricsUrl
    const exporter = new CountingMetricExporter(new OTLPMetricExporter({url, headers: config.headers, timeoutMillis: EXPORT_TIMEOUT_MS}), counters, (result) =>
      warnOnce('metrics', url, result),
    )
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: config.metricIntervalMs,
      exportTimeoutMillis: Math.min(EXPORT_TIMEOUT_MS, config.metricIntervalMs),
    })
    meterProvider = new MeterProvider({resource: resourceFromAttributes(resourceAttributes), readers: [reader]})
  }

  return {
    tracing: spans !== undefined,
    meter: meterProvider?.getMeter('agentgov', VERSION),
    exportSpans(records) {
      spans?.export(records)
    },
    get droppedSpans() {
      return counters.droppedSpans
    },
    get failedMetricExports() {
      return counters.failedMetricExports
    },
    async shutdown(timeoutMs) {
      const done = Promise.allSettled([spans?.shutdown(), meterProvider?.shutdown()])
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs)
        timer.unref()
      })
      const outcome = await Promise.race([done, timeout])
      clearTimeout(timer)
      // Whatever was still queued or in flight when time ran out is lost: count it.
      if (outcome === 'timeout') counters.droppedSpans += counters.inFlight
      counters.inFlight = 0
    },
  }
}

interface SpanExport {
  export(spans: SpanRecord[]): void
  shutdown(): Promise<void>
}

/** Sends spans through the SDK's OTLP/HTTP delegate; what does not fit the queue or fails to arrive is counted. */
function spanExport(
  url: string,
  config: OtelConfig,
  resource: Record<string, string>,
  counters: Counters,
  onFailure: (what: string, url: string, result: ExportResult) => void,
): SpanExport {
  const frame = traceRequestFrame(resource, {name: 'agentgov', version: VERSION})
  const encoder = new TextEncoder()
  const decoder = new TextDecoder()
  const serializer = {
    serializeRequest: (spans: SpanRecord[]) => encoder.encode(traceRequestJson(frame, spans)),
    deserializeResponse: (data: Uint8Array) => {
      // A partial-success body is logged by the delegate; an unreadable one is no reason to fail.
      try {
        return data.length === 0 ? {} : (JSON.parse(decoder.decode(data)) as object)
      } catch {
        return {}
      }
    },
  }
  const delegate = createOtlpHttpExportDelegate(
    convertLegacyHttpOptions({url, headers: config.headers, timeoutMillis: EXPORT_TIMEOUT_MS}, 'TRACES', 'v1/traces', {'Content-Type': 'application/json'}),
    serializer,
    'otlp_http_span_exporter',
    {name: 'span', countItems: (spans: SpanRecord[]) => spans.length},
    undefined,
  )
  return {
    export(spans) {
      const fits = Math.max(0, Math.min(spans.length, MAX_QUEUE - counters.inFlight))
      counters.droppedSpans += spans.length - fits
      if (fits === 0) return
      const batch = fits === spans.length ? spans : spans.slice(0, fits)
      counters.inFlight += fits
      try {
        delegate.export(batch, (result) => {
          counters.inFlight = Math.max(0, counters.inFlight - fits)
          if (result.code !== ExportResultCode.SUCCESS) {
            counters.droppedSpans += fits
            onFailure('spans', url, result)
          }
        })
      } catch (error) {
        counters.inFlight = Math.max(0, counters.inFlight - fits)
        counters.droppedSpans += fits
        onFailure('spans', url, {code: ExportResultCode.FAILED, error: error as Error})
      }
    },
    shutdown: () => delegate.shutdown(),
  }
}

class CountingMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: OTLPMetricExporter,
    private readonly counters: Counters,
    private readonly onFailure: (result: ExportResult) => void,
  ) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.counters.failedMetricExports++
        this.onFailure(result)
      }

      done(result)
    })
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush()
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown()
  }

  selectAggregationTemporality(type: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality(type)
  }

  selectAggregation(type: InstrumentType): AggregationOption {
    return this.inner.selectAggregation(type)
  }
}
