/**
 * The OpenTelemetry SDK, beside the call path: a worker thread that runs `@opentelemetry/sdk-node`
 * configured by the standard environment (its process.env is the OTEL_* environment config.ts
 * resolved) and turns the compact records the proxy posts (otel.ts) into SDK spans and metric points.
 *
 * Why a worker: the SDK's span objects, batching and OTLP serialisation (protobuf, JSON or gRPC) cost
 * a proxied call several microseconds of CPU on the event loop that forwards the call; here they run
 * on another thread, and the proxy's thread only keeps and posts small records in bulk.
 *
 * The proxy picks span ids and the sampled flag on the call's path (it forwards the traceparent
 * upstream before any span exists), so this SDK is given those ids through its IdGenerator, the
 * call's own start and end times, and the same sampler the proxy used (deterministic: it agrees).
 */
import {parentPort, workerData} from 'node:worker_threads'

import {type Attributes, type Context, type Counter, type Histogram, metrics, type ProxyTracerProvider, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags} from '@opentelemetry/api'
import {type ExportResult, ExportResultCode, setGlobalErrorHandler, TraceState} from '@opentelemetry/core'
import {OTLPMetricExporter as GrpcMetricExporter} from '@opentelemetry/exporter-metrics-otlp-grpc'
import {OTLPMetricExporter as JsonMetricExporter} from '@opentelemetry/exporter-metrics-otlp-http'
import {OTLPMetricExporter as ProtoMetricExporter} from '@opentelemetry/exporter-metrics-otlp-proto'
import {OTLPTraceExporter as GrpcTraceExporter} from '@opentelemetry/exporter-trace-otlp-grpc'
import {OTLPTraceExporter as JsonTraceExporter} from '@opentelemetry/exporter-trace-otlp-http'
import {OTLPTraceExporter as ProtoTraceExporter} from '@opentelemetry/exporter-trace-otlp-proto'
import {resourceFromAttributes} from '@opentelemetry/resources'
import {
  type AggregationOption,
  type AggregationTemporality,
  ConsoleMetricExporter,
  type InstrumentType,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics'
import {NodeSDK} from '@opentelemetry/sdk-node'
import {AlwaysOnSampler, ConsoleSpanExporter, type ReadableSpan, type SpanExporter} from '@opentelemetry/sdk-trace'

import type {ExporterName, OtelConfig, Protocol, Signal} from './config.js'
import {INSTRUMENTS, type InstrumentName, type ToWorker, type FromWorker, type WorkerData} from './otel-wire.js'
import type {WireSpan} from './otlp-spans.js'
import {samplerFor} from './otel-sampler.js'

const port = parentPort!
const data = workerData as WorkerData
const config: OtelConfig = data.config
const post = (message: FromWorker) => port.postMessage(message)

const stats = {deliveredSpans: 0, failedSpans: 0, failedMetricExports: 0}

function failed(signal: Signal, protocol: Protocol, endpoint: string | undefined, result: ExportResult): void {
  post({t: 'failure', signal, protocol, endpoint, message: result.error?.message ?? 'unknown error'})
}

const TRACE_EXPORTERS: Record<Protocol, () => SpanExporter> = {
  'http/protobuf': () => new ProtoTraceExporter(),
  'http/json': () => new JsonTraceExporter(),
  grpc: () => new GrpcTraceExporter(),
}
const METRIC_EXPORTERS: Record<Protocol, () => PushMetricExporter> = {
  'http/protobuf': () => new ProtoMetricExporter(),
  'http/json': () => new JsonMetricExporter(),
  grpc: () => new GrpcMetricExporter(),
}

/** Every exporter OTEL_TRACES_EXPORTER names, as one; OTLP results are counted and failures reported. */
class TraceFanOut implements SpanExporter {
  private readonly exporters: Array<{name: ExporterName; exporter: SpanExporter}>

  constructor(names: readonly ExporterName[], private readonly protocol: Protocol, private readonly endpoint: string | undefined) {
    this.exporters = names.map((name) => ({name, exporter: name === 'otlp' ? TRACE_EXPORTERS[protocol]() : new ConsoleSpanExporter()}))
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let waiting = this.exporters.length
    let outcome: ExportResult = {code: ExportResultCode.SUCCESS}
    for (const {name, exporter} of this.exporters) {
      exporter.export(spans, (result) => {
        if (name === 'otlp') {
          if (result.code === ExportResultCode.SUCCESS) stats.deliveredSpans += spans.length
          else {
            stats.failedSpans += spans.length
            failed('traces', this.protocol, this.endpoint, result)
            outcome = result
          }
        }

        if (--waiting === 0) {
          post({t: 'stats', ...stats})
          done(outcome)
        }
      })
    }
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.exporters.map(({exporter}) => exporter.shutdown()))
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.exporters.map(({exporter}) => exporter.forceFlush?.()))
  }
}

class CountingMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly otlp: boolean,
    private readonly protocol: Protocol,
    private readonly endpoint: string | undefined,
  ) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (this.otlp && result.code !== ExportResultCode.SUCCESS) {
        stats.failedMetricExports++
        failed('metrics', this.protocol, this.endpoint, result)
        post({t: 'stats', ...stats})
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
    return this.inner.selectAggregationTemporality!(type)
  }

  selectAggregation(type: InstrumentType): AggregationOption {
    return this.inner.selectAggregation!(type)
  }
}

function metricReaders(): PeriodicExportingMetricReader[] {
  const metrics = config.metrics
  if (!metrics) return []
  const timeout = Number(config.sdkEnv.OTEL_METRIC_EXPORT_TIMEOUT)
  return metrics.exporters.map(
    (name) =>
      new PeriodicExportingMetricReader({
        exporter:
          name === 'otlp'
            ? new CountingMetricExporter(METRIC_EXPORTERS[metrics.protocol](), true, metrics.protocol, metrics.endpoint)
            : new CountingMetricExporter(new ConsoleMetricExporter(), false, metrics.protocol, undefined),
        exportIntervalMillis: config.metricIntervalMs,
        exportTimeoutMillis: Math.min(Number.isFinite(timeout) && timeout > 0 ? timeout : 30_000, config.metricIntervalMs),
      }),
  )
}

/** Hands the SDK the ids the proxy chose for the span being started. */
const next = {traceId: '', spanId: ''}

// Errors the SDK reports outside an export result (a reader's collection, a processor's timeout) are
// said through the same once-only warning as a failed export.
setGlobalErrorHandler((error) => post({t: 'failure', message: error instanceof Error ? error.message : String(error)}))

const sdk = new NodeSDK({
  resource: resourceFromAttributes({'service.name': 'agentgov', 'service.version': data.version}),
  // Replaying stored records (`traces export`) sends every one; live spans follow OTEL_TRACES_SAMPLER.
  sampler: data.replay ? new AlwaysOnSampler() : samplerFor(config.sampler),
  idGenerator: {generateTraceId: () => next.traceId, generateSpanId: () => next.spanId},
  ...(config.traces ? {traceExporter: new TraceFanOut(config.traces.exporters, config.traces.protocol, config.traces.endpoint)} : {spanProcessors: []}),
  metricReaders: metricReaders(),
  instrumentations: [],
  // The proxy carries context in MCP params._meta itself; nothing here injects or extracts.
  textMapPropagator: null,
})
sdk.start()

const tracer = trace.getTracer('agentgov', data.version)
const meter = config.metrics ? metrics.getMeter('agentgov', data.version) : undefined
const instruments = new Map<InstrumentName, Counter | Histogram>()
if (meter) {
  for (const [name, spec] of Object.entries(INSTRUMENTS) as Array<[InstrumentName, (typeof INSTRUMENTS)[InstrumentName]]>) {
    instruments.set(
      name,
      spec.kind === 'counter'
        ? meter.createCounter(name, {unit: spec.unit, description: spec.description})
        : meter.createHistogram(name, {unit: spec.unit, description: spec.description, advice: {explicitBucketBoundaries: [...spec.buckets]}}),
    )
  }
}

const KIND = [SpanKind.INTERNAL, SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT] as const

/** Milliseconds since the epoch (sub-millisecond fraction kept) as the SDK's [seconds, nanoseconds]. */
function hrTime(ms: number): [number, number] {
  const seconds = Math.floor(ms / 1000)
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)]
}

function parentContext(span: WireSpan): Context {
  if (!span.parentSpanId) return ROOT_CONTEXT
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: span.traceId,
    spanId: span.parentSpanId,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: span.parentIsRemote === true,
    traceState: span.traceState ? new TraceState(span.traceState) : undefined,
  })
}

function record(span: WireSpan): void {
  next.traceId = span.traceId
  next.spanId = span.spanId
  const sdkSpan = tracer.startSpan(span.name, {kind: KIND[span.kind], startTime: hrTime(span.startMs), attributes: span.attributes as Attributes}, parentContext(span))
  if (span.status.code === 2) sdkSpan.setStatus({code: SpanStatusCode.ERROR, message: span.status.message})
  else if (span.status.code === 1) sdkSpan.setStatus({code: SpanStatusCode.OK})
  sdkSpan.end(hrTime(span.endMs))
}

port.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'batch': {
      for (const span of message.spans) record(span)
      for (const {name, attributes, n} of message.counts) (instruments.get(name) as Counter | undefined)?.add(n, attributes)
      for (const {name, attributes, values} of message.points) {
        const histogram = instruments.get(name) as Histogram | undefined
        if (histogram) for (const value of values) histogram.record(value, attributes)
      }

      break
    }

    case 'flush': {
      const tracers = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as {forceFlush?: () => Promise<void>}
      const meters = metrics.getMeterProvider() as {forceFlush?: () => Promise<void>}
      void Promise.allSettled([tracers.forceFlush?.(), meters.forceFlush?.()])
        .then(() => post({t: 'flushed', id: message.id, ...stats}))
      break
    }

    case 'shutdown': {
      void sdk
        .shutdown()
        .catch(() => {})
        .then(() => post({t: 'done', ...stats}))
      break
    }
  }
})
post({t: 'ready'})
