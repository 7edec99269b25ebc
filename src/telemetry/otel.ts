/**
 * The one place that wires the OpenTelemetry SDK: OTLP/HTTP trace and metric exporters, a bounded
 * batch span processor and a periodic metric reader. Loaded only by dynamic import, and only when
 * config.ts found an endpoint, so a proxy with export off never loads any of it.
 *
 * Providers are not registered globally: agentgov records through the tracer and meter handed out
 * here, which keeps several Telemetry instances (tests, `traces export`) independent.
 */
import type {Meter, Tracer} from '@opentelemetry/api'
import {ExportResultCode, type ExportResult} from '@opentelemetry/core'
import {OTLPMetricExporter} from '@opentelemetry/exporter-metrics-otlp-http'
import {OTLPTraceExporter} from '@opentelemetry/exporter-trace-otlp-http'
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
import {BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor} from '@opentelemetry/sdk-trace-base'
import type {Context} from '@opentelemetry/api'

import {VERSION} from '../version.js'
import type {OtelConfig} from './config.js'
import {PresetIds} from './signals.js'

export const MAX_QUEUE = 2048
const MAX_BATCH = 512
const EXPORT_TIMEOUT_MS = 5000

export interface OtelRuntime {
  tracer?: Tracer
  meter?: Meter
  /** The tracer's id generator, which lets spans be made after the call under ids chosen during it. */
  ids: PresetIds
  /** Start exporting every finished span now (without waiting for the batch timer). */
  exportNow(): void
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
  const resource = resourceFromAttributes({
    ...config.resourceAttributes,
    'service.name': config.serviceName,
    'service.version': VERSION,
  })
  let warned = false
  const warnOnce = (what: string, url: string, result: ExportResult) => {
    if (warned) return
    warned = true
    warn(`OTLP export of ${what} to ${url} failed (${result.error?.message ?? 'unknown error'}); dropping them and counting. Tool calls are not affected.`)
  }

  const ids = new PresetIds()
  let tracerProvider: BasicTracerProvider | undefined
  if (config.tracesUrl) {
    const url = config.tracesUrl
    const exporter = new CountingSpanExporter(
      new OTLPTraceExporter({url, headers: config.headers, timeoutMillis: EXPORT_TIMEOUT_MS}),
      counters,
      (result) => warnOnce('spans', url, result),
    )
    const batch = new BatchSpanProcessor(exporter, {maxQueueSize: MAX_QUEUE, maxExportBatchSize: MAX_BATCH, scheduledDelayMillis: 1000, exportTimeoutMillis: EXPORT_TIMEOUT_MS})
    tracerProvider = new BasicTracerProvider({resource, idGenerator: ids, spanProcessors: [new BoundedProcessor(batch, counters)]})
  }

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
    meterProvider = new MeterProvider({resource, readers: [reader]})
  }

  return {
    tracer: tracerProvider?.getTracer('agentgov', VERSION),
    meter: meterProvider?.getMeter('agentgov', VERSION),
    ids,
    exportNow() {
      // Failures are counted by CountingSpanExporter; nothing to await or throw here.
      tracerProvider?.forceFlush().catch(() => {})
    },
    get droppedSpans() {
      return counters.droppedSpans
    },
    get failedMetricExports() {
      return counters.failedMetricExports
    },
    async shutdown(timeoutMs) {
      const done = Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()])
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

/**
 * Bounds what is waiting for export and counts what does not fit. BatchSpanProcessor bounds its own
 * queue too, but drops silently (a debug log); the count here is what `stats()` and the exit warning
 * report, and it includes spans whose export failed.
 */
class BoundedProcessor implements SpanProcessor {
  constructor(
    private readonly inner: SpanProcessor,
    private readonly counters: Counters,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext)
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 0) return
    if (this.counters.inFlight >= MAX_QUEUE) {
      this.counters.droppedSpans++
      return
    }

    this.counters.inFlight++
    this.inner.onEnd(span)
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush()
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown()
  }
}

class CountingSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly counters: Counters,
    private readonly onFailure: (result: ExportResult) => void,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      this.counters.inFlight = Math.max(0, this.counters.inFlight - spans.length)
      if (result.code !== ExportResultCode.SUCCESS) {
        this.counters.droppedSpans += spans.length
        this.onFailure(result)
      }

      done(result)
    })
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown()
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve()
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
