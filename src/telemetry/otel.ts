/**
 * The one place that starts OpenTelemetry export: the SDK (`@opentelemetry/sdk-node`, its OTLP
 * exporters in the protocol OTEL_EXPORTER_OTLP_PROTOCOL names) runs in a worker thread
 * (otel-worker.ts), fed compact records in bulk, so the thread that forwards tool calls never builds
 * SDK spans or serialises OTLP. Loaded only by dynamic import, and only when config.ts found export
 * asked for, so a proxy with export off loads none of it.
 *
 * Bounded and counted: at most MAX_QUEUE spans are in the worker's hands at once, more are dropped
 * and counted; the first failure is said once; shutdown resolves within its time limit whatever the
 * backend does.
 */
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'

import {VERSION} from '../version.js'
import type {OtelConfig} from './config.js'
import type {ExportStats, FromWorker, ToWorker, WorkerData} from './otel-wire.js'
import type {WireSpan} from './otlp-spans.js'

/** Spans waiting for or in export; more are dropped and counted. */
export const MAX_QUEUE = 2048

type Batch = Omit<Extract<ToWorker, {t: 'batch'}>, 't'>

export interface OtelRuntime {
  readonly config: OtelConfig
  /** Whether spans are exported at all (OTEL_TRACES_EXPORTER=none turns them off). */
  readonly tracing: boolean
  readonly metrics: boolean
  /** Continue the caller's traceparent and pass ours upstream (OTEL_PROPAGATORS). */
  readonly propagate: boolean
  /** The configured sampler's answer for a new span of this trace (parent: the caller's span). */
  sampled(traceId: string, parent?: {spanId: string; sampled: boolean}): boolean
  /** Hands finished spans and metric points to the SDK; never throws, never waits. */
  send(batch: Batch): void
  /** Resolves once the SDK has exported what was sent so far (or failed to). */
  flush(): Promise<ExportStats>
  readonly droppedSpans: number
  /** Spans the SDK reported as exported. */
  readonly deliveredSpans: number
  readonly failedMetricExports: number
  /** The first export failure, as said on stderr. */
  readonly failure?: string
  /** The first export failure as the SDK's exporter reported it. */
  readonly failureDetail?: string
  /** Flush and stop; resolves within timeoutMs whatever the backend does. */
  shutdown(timeoutMs: number): Promise<void>
}

export interface StartOptions {
  /** Replaying stored records (`traces export`): every span is sent, whatever the sampler. */
  replay?: boolean
}

/** The worker's module: beside this one when built; from dist/ when this module runs from its TypeScript source (vitest). */
function workerFile(): URL {
  const beside = new URL('otel-worker.js', import.meta.url)
  return existsSync(fileURLToPath(beside)) ? beside : new URL('../../dist/src/telemetry/otel-worker.js', import.meta.url)
}

export async function startOtel(config: OtelConfig, warn: (message: string) => void, options: StartOptions = {}): Promise<OtelRuntime> {
  for (const note of config.notes) warn(note)
  const {samplerFor, sampledBy} = await import('./otel-sampler.js')
  const sampler = samplerFor(config.sampler)
  const data: WorkerData = {config, version: VERSION, replay: options.replay === true}
  // The worker's process.env is the resolved OTEL_* environment: the SDK configures itself from it.
  const worker = new Worker(workerFile(), {workerData: data, env: config.sdkEnv, stdout: true})
  // A console exporter writes to stdout, which is the MCP channel of a stdio proxy: it goes to stderr.
  worker.stdout.pipe(process.stderr)
  worker.unref()

  let sent = 0
  let dropped = 0
  let alive = true
  let stats: ExportStats = {deliveredSpans: 0, failedSpans: 0, failedMetricExports: 0}
  let failure: string | undefined
  let detail: string | undefined
  let flushes = 0
  const flushing = new Map<number, (stats: ExportStats) => void>()
  let finished: ((stats: ExportStats) => void) | undefined

  const fail = (message: string) => {
    if (failure !== undefined) return
    failure = message
    warn(message)
  }

  worker.on('message', (message: FromWorker) => {
    switch (message.t) {
      case 'stats':
      case 'flushed':
      case 'done': {
        const {deliveredSpans, failedSpans, failedMetricExports} = message
        stats = {deliveredSpans, failedSpans, failedMetricExports}
        if (message.t === 'flushed') {
          flushing.get(message.id)?.(stats)
          flushing.delete(message.id)
        } else if (message.t === 'done') finished?.(stats)
        break
      }

      case 'failure': {
        detail ??= message.message
        fail(failureMessage(message))
        break
      }

      case 'ready': {
        break
      }
    }
  })
  worker.on('error', (error) => {
    alive = false
    fail(`the OpenTelemetry export worker failed (${error.message}); nothing more is exported. Tool calls are not affected.`)
    for (const resolve of flushing.values()) resolve(stats)
    flushing.clear()
    finished?.(stats)
  })

  const inFlight = () => sent - stats.deliveredSpans - stats.failedSpans

  return {
    config,
    tracing: config.traces !== undefined,
    metrics: config.metrics !== undefined,
    propagate: config.propagate,
    sampled: (traceId, parent) => sampledBy(sampler, traceId, parent),
    send(batch) {
      let spans: WireSpan[] = batch.spans
      if (!alive) {
        dropped += spans.length
        return
      }

      const fits = Math.max(0, Math.min(spans.length, MAX_QUEUE - inFlight()))
      if (fits < spans.length) {
        dropped += spans.length - fits
        spans = spans.slice(0, fits)
      }

      sent += spans.length
      try {
        worker.postMessage({t: 'batch', ...batch, spans} satisfies ToWorker)
      } catch {
        dropped += spans.length
      }
    },
    flush() {
      if (!alive) return Promise.resolve(stats)
      const id = ++flushes
      return new Promise((resolve) => {
        flushing.set(id, resolve)
        worker.postMessage({t: 'flush', id} satisfies ToWorker)
      })
    },
    get droppedSpans() {
      return dropped + stats.failedSpans
    },
    get deliveredSpans() {
      return stats.deliveredSpans
    },
    get failedMetricExports() {
      return stats.failedMetricExports
    },
    get failure() {
      return failure
    },
    get failureDetail() {
      return detail
    },
    async shutdown(timeoutMs) {
      if (alive) {
        const done = new Promise<ExportStats>((resolve) => {
          finished = resolve
        })
        worker.postMessage({t: 'shutdown'} satisfies ToWorker)
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs)
        })
        await Promise.race([done, timeout])
        clearTimeout(timer)
      }

      alive = false
      // Whatever the SDK had not delivered when it stopped (or when time ran out) is lost: count it.
      dropped += inFlight()
      sent = stats.deliveredSpans + stats.failedSpans
      await worker.terminate()
    },
  }
}

/** One sentence that names the signal, the endpoint and the protocol, and what to check. */
function failureMessage(failure: Extract<FromWorker, {t: 'failure'}>): string {
  const where = failure.endpoint ? ` to ${failure.endpoint}` : ''
  const over = failure.protocol ? ` over ${failure.protocol}` : ''
  const what = failure.signal ? `of ${failure.signal}` : ''
  return (
    `OTLP export ${what}${where}${over} failed (${failure.message}); dropping and counting, tool calls are not affected. ` +
    'If the endpoint speaks another OTLP protocol, set OTEL_EXPORTER_OTLP_PROTOCOL to match it (http/protobuf or http/json: usually port 4318, grpc: 4317).'
  ).replace('export  ', 'export ')
}

export interface ReplayResult {
  delivered: number
  /** The first failure, as the SDK's exporter reported it. */
  failure?: string
}

/** Spans sent to the SDK per round: one export batch, so a long replay never overflows its queue. */
const REPLAY_CHUNK = 512

/**
 * Sends stored records' spans through the same SDK and configuration as live export (`traces
 * export`): every span, whatever the sampler, in rounds the SDK flushes before the next one.
 */
export async function replaySpans(config: OtelConfig, spans: readonly WireSpan[], warn: (message: string) => void, timeoutMs = 30_000): Promise<ReplayResult> {
  const runtime = await startOtel(config, warn, {replay: true})
  for (let i = 0; i < spans.length && runtime.failure === undefined; i += REPLAY_CHUNK) {
    runtime.send({spans: spans.slice(i, i + REPLAY_CHUNK), counts: [], points: []})
    await runtime.flush()
  }

  await runtime.shutdown(timeoutMs)
  return {delivered: runtime.deliveredSpans, failure: runtime.failureDetail}
}
