import {existsSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {resolveOtelConfig} from './config.js'
import type {OtelRuntime} from './otel.js'
import type {Signals} from './signals.js'
import {DEFAULT_RETENTION_DAYS} from './retention.js'
import {pruneStore} from './store/prune.js'
import {tracesDir} from './store/segments.js'
import {TraceWriter} from './store/writer.js'
import {type ApprovalFields, type DecisionFields, parseTraceparent, type RecordKind, type RequestInfo, type TraceContext, type TrustFields} from './record.js'
import type {RequestSpan, Telemetry, TelemetryOptions, TelemetryStats} from './types.js'

export type * from './types.js'
export {readOtlpJsonFile} from './otlp-json.js'
export {pruneStore} from './store/prune.js'
export {readStore} from './store/read.js'
export {verifyStore} from './store/scan.js'
export {tracesDir} from './store/segments.js'

export const SHUTDOWN_TIMEOUT_MS = 2000
export {DEFAULT_RETENTION_DAYS} from './retention.js'

/**
 * The recorder the proxy holds. The local store is always on (unless store: false); OTLP export
 * starts only when an endpoint is configured, and only then are the OpenTelemetry modules imported.
 */
export async function createTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const env = options.env ?? process.env
  const warn = options.warn ?? ((message: string) => process.stderr.write(`agentgov: ${message}\n`))
  const config = resolveOtelConfig(env, options)
  const writer = options.store === false ? undefined : new TraceWriter(tracesDir(options.stateDir), {onError: warn})
  if (writer) schedulePrune(writer.dir, options.retentionDays ?? DEFAULT_RETENTION_DAYS, warn)
  if (!config) return new Recorder(writer, undefined, undefined, warn)
  const [{startOtel}, {Signals}] = await Promise.all([import('./otel.js'), import('./signals.js')])
  const runtime = await startOtel(config, warn)
  return new Recorder(writer, runtime, new Signals(runtime), warn)
}

const NO_SPAN: RequestSpan = {end: () => {}, upstream: () => ({end: () => {}})}

class Recorder implements Telemetry {
  private internalErrors = 0
  private stopped?: Promise<void>

  constructor(
    private readonly writer: TraceWriter | undefined,
    private readonly runtime: OtelRuntime | undefined,
    private readonly signals: Signals | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  decision(fields: DecisionFields, context?: TraceContext): void {
    this.guard(() => this.keep('decision', fields, context))
  }

  approval(fields: ApprovalFields, context?: TraceContext): void {
    this.guard(() => this.keep('approval', fields, context))
  }

  trust(fields: TrustFields, context?: TraceContext): void {
    this.guard(() => this.keep('trust', fields, context))
  }

  request(info: RequestInfo): RequestSpan {
    if (!this.signals) return NO_SPAN
    try {
      return this.signals.request(info)
    } catch {
      this.internalErrors++
      return NO_SPAN
    }
  }

  stats(): TelemetryStats {
    return {
      stored: this.writer?.stats.stored ?? 0,
      storeErrors: (this.writer?.stats.dropped ?? 0) + this.internalErrors,
      storeFailing: this.writer?.stats.failing ?? false,
      droppedSpans: this.runtime?.droppedSpans ?? 0,
      failedMetricExports: this.runtime?.failedMetricExports ?? 0,
    }
  }

  shutdown(): Promise<void> {
    this.stopped ??= this.stop()
    return this.stopped
  }

  private async stop(): Promise<void> {
    this.writer?.close()
    this.signals?.flush()
    await this.runtime?.shutdown(SHUTDOWN_TIMEOUT_MS)
    const {droppedSpans, failedMetricExports, storeErrors} = this.stats()
    if (droppedSpans > 0 || failedMetricExports > 0) {
      this.warn(`${droppedSpans} span(s) and ${failedMetricExports} metric export(s) could not be delivered to the OTLP endpoint; the local trace store has every decision.`)
    }

    if (storeErrors > 0) this.warn(`${storeErrors} record(s) could not be written to the local trace store.`)
  }

  /** Recording must never break or delay a tool call: failures are counted, not thrown. */
  private guard(fn: () => void): void {
    try {
      fn()
    } catch {
      this.internalErrors++
    }
  }

  /** The fields as they came, plus what telemetry adds: kind, time, trace id. */
  private keep(kind: RecordKind, fields: ApprovalFields | DecisionFields | TrustFields, context: TraceContext | undefined): void {
    const time = fields.time ?? Date.now()
    const traceId = this.signals?.record(kind, fields, context, time) ?? parseTraceparent(context?.traceparent)?.traceId
    // Undefined members are left for the writer's serialiser to drop. Not `{...fields, kind, time,
    // traceId}`: on Node 20 each member added after a spread costs microseconds (a fresh map per
    // record), 11 µs per record here; members a literal starts with cost nothing.
    const record = Object.assign({kind, time, traceId}, fields)
    record.time = time
    this.writer?.append(record)
  }
}

const PRUNE_MARK = 'last-prune'
const PRUNE_EVERY_MS = 86_400_000

/**
 * Retention without a cron job: a while after start (never on the start path), at most once a day
 * across all proxies, the oldest segments are pruned.
 */
function schedulePrune(dir: string, days: number, warn: (message: string) => void): void {
  const timer = setTimeout(() => {
    try {
      const mark = join(dir, PRUNE_MARK)
      if (existsSync(mark) && Date.now() - statSync(mark).mtimeMs < PRUNE_EVERY_MS) return
      writeFileSync(mark, '')
      pruneStore(dir, {olderThanDays: days})
    } catch (error) {
      warn(`pruning the trace store failed: ${(error as Error).message}`)
    }
  }, 30_000)
  timer.unref()
}
