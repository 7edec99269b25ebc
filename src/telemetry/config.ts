/**
 * Which OpenTelemetry export, if any, the standard OTEL_* variables and the command flags ask for.
 * Pure and dependency-free: this runs on every proxy start, and when it answers "none" no
 * OpenTelemetry module is ever loaded.
 *
 * The SDK itself (in the export worker, otel-worker.ts) reads the variables it knows: endpoints,
 * headers, timeouts, compression, batch sizes, resource attributes, the sampler. This module decides
 * only what must be known on the proxy's side: whether export is on at all, which exporters and
 * protocol each signal uses (to name them in a warning), the sampler (the proxy picks span ids and
 * the sampled flag it forwards upstream on the call's path) and the propagators. It also folds the
 * command flags into the environment the SDK reads, so flags and variables mean one thing.
 */

export const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const
export type Protocol = (typeof PROTOCOLS)[number]
export type ExporterName = 'console' | 'otlp'
export type Signal = 'metrics' | 'traces'

export interface SignalConfig {
  exporters: readonly ExporterName[]
  protocol: Protocol
  /** Where the OTLP exporter sends, as the SDK resolves it (for messages); undefined without otlp. */
  endpoint?: string
}

export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const
export type SamplerName = (typeof SAMPLERS)[number]

export interface SamplerSpec {
  name: SamplerName
  /** OTEL_TRACES_SAMPLER_ARG for the ratio samplers, in [0, 1]. */
  ratio: number
}

export interface OtelConfig {
  /** Undefined: no trace export (OTEL_TRACES_EXPORTER=none). */
  traces?: SignalConfig
  /** Undefined: no metric export. */
  metrics?: SignalConfig
  /** The environment the SDK reads: the caller's OTEL_* variables with the command flags folded in. */
  sdkEnv: Record<string, string>
  serviceName: string
  sampler: SamplerSpec
  /** Continue the caller's W3C traceparent from params._meta and pass ours upstream (OTEL_PROPAGATORS). */
  propagate: boolean
  metricIntervalMs: number
  /** Said once at start: values that were not understood, and what was used instead. */
  notes: string[]
}

export interface OtelFlags {
  otlpEndpoint?: string
  otlpHeaders?: Record<string, string>
  serviceName?: string
}

const DEFAULT_ENDPOINT: Record<Protocol, string> = {'http/protobuf': 'http://localhost:4318', 'http/json': 'http://localhost:4318', grpc: 'http://localhost:4317'}

/**
 * Undefined when export is off: OTEL_SDK_DISABLED=true, or nothing asks for it (no endpoint set
 * anywhere, and neither OTEL_TRACES_EXPORTER nor OTEL_METRICS_EXPORTER names an exporter).
 */
export function resolveOtelConfig(env: NodeJS.ProcessEnv, flags: OtelFlags = {}): OtelConfig | undefined {
  const flagged = Boolean(flags.otlpEndpoint)
  // An explicit --otlp-endpoint on the command line is a stronger statement than an inherited variable.
  if (!flagged && bool(env.OTEL_SDK_DISABLED)) return undefined
  const sdkEnv = foldFlags(otelVariables(env), flags)
  const notes: string[] = []
  const asked =
    flagged ||
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_TRACES_EXPORTER', 'OTEL_METRICS_EXPORTER'].some(
      (name) => Boolean(sdkEnv[name]?.trim()) && (name.endsWith('_ENDPOINT') || exporterList(sdkEnv[name], name, []).length > 0),
    )
  if (!asked) return undefined
  const traces = signalConfig(sdkEnv, 'traces', notes)
  const metrics = signalConfig(sdkEnv, 'metrics', notes)
  if (!traces && !metrics) return undefined
  const interval = Number(sdkEnv.OTEL_METRIC_EXPORT_INTERVAL)
  const resourceAttributes = parsePairs(sdkEnv.OTEL_RESOURCE_ATTRIBUTES)
  return {
    traces,
    metrics,
    sdkEnv,
    serviceName: sdkEnv.OTEL_SERVICE_NAME || resourceAttributes['service.name'] || 'agentgov',
    sampler: samplerSpec(sdkEnv, notes),
    propagate: propagates(sdkEnv, notes),
    metricIntervalMs: Number.isFinite(interval) && interval > 0 ? interval : 60_000,
    notes,
  }
}

function otelVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (name.startsWith('OTEL_') && value !== undefined) out[name] = value
  return out
}

/** --otlp-endpoint replaces every endpoint variable; --otlp-header adds to (and wins over) each header variable. */
function foldFlags(env: Record<string, string>, flags: OtelFlags): Record<string, string> {
  const out = {...env}
  if (flags.otlpEndpoint) {
    out.OTEL_EXPORTER_OTLP_ENDPOINT = flags.otlpEndpoint
    delete out.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    delete out.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT
    delete out.OTEL_SDK_DISABLED
  }

  if (flags.otlpHeaders && Object.keys(flags.otlpHeaders).length > 0) {
    for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS']) {
      if (name !== 'OTEL_EXPORTER_OTLP_HEADERS' && out[name] === undefined) continue
      out[name] = formatPairs({...parsePairs(out[name]), ...flags.otlpHeaders})
    }
  }

  if (flags.serviceName) out.OTEL_SERVICE_NAME = flags.serviceName
  return out
}

function signalConfig(env: Record<string, string>, signal: Signal, notes: string[]): SignalConfig | undefined {
  const upper = signal.toUpperCase()
  const variable = `OTEL_${upper}_EXPORTER`
  const listed = exporterList(env[variable], variable, notes)
  if (listed.includes('none')) return undefined
  const exporters = (listed.length === 0 ? ['otlp'] : listed) as ExporterName[]
  const protocolVariable = env[`OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`]?.trim() ? `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL` : 'OTEL_EXPORTER_OTLP_PROTOCOL'
  const asked = env[protocolVariable]?.trim()
  let protocol: Protocol = 'http/protobuf'
  if (asked) {
    if ((PROTOCOLS as readonly string[]).includes(asked)) protocol = asked as Protocol
    else notes.push(`${protocolVariable}=${asked} is not one of ${PROTOCOLS.join(', ')}; using http/protobuf.`)
  }

  return {exporters, protocol, endpoint: exporters.includes('otlp') ? endpointOf(env, signal, protocol) : undefined}
}

/** The exporters a variable names, `none` included; unknown names are noted and left out. */
function exporterList(value: string | undefined, variable: string, notes: string[]): Array<ExporterName | 'none'> {
  const out: Array<ExporterName | 'none'> = []
  for (const raw of (value ?? '').split(',')) {
    const name = raw.trim().toLowerCase()
    if (!name) continue
    if (name === 'otlp' || name === 'console' || name === 'none') {
      if (!out.includes(name)) out.push(name)
    } else notes.push(`${variable} names "${name}", which agentgov does not export to (otlp, console, none).`)
  }

  return out
}

/** The URL the SDK's OTLP exporter sends to: the signal's own variable as given, else the base (+ /v1/<signal> over HTTP). */
function endpointOf(env: Record<string, string>, signal: Signal, protocol: Protocol): string {
  const specific = env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`]?.trim()
  if (specific) return specific
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || DEFAULT_ENDPOINT[protocol]
  return protocol === 'grpc' ? base : `${base.replace(/\/+$/, '')}/v1/${signal}`
}

function samplerSpec(env: Record<string, string>, notes: string[]): SamplerSpec {
  const asked = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase()
  let name: SamplerName = 'parentbased_always_on'
  if (asked) {
    if ((SAMPLERS as readonly string[]).includes(asked)) name = asked as SamplerName
    else notes.push(`OTEL_TRACES_SAMPLER=${asked} is not one of ${SAMPLERS.join(', ')}; using parentbased_always_on.`)
  }

  let ratio = 1
  if (name.endsWith('traceidratio')) {
    const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim()
    const value = arg ? Number(arg) : Number.NaN
    if (Number.isFinite(value) && value >= 0 && value <= 1) ratio = value
    else notes.push(`OTEL_TRACES_SAMPLER_ARG=${arg ?? ''} is not a ratio between 0 and 1; sampling every trace.`)
  }

  return {name, ratio}
}

/** W3C trace context is what MCP carries in params._meta; `none` (or a list without it) turns propagation off. */
function propagates(env: Record<string, string>, notes: string[]): boolean {
  const value = env.OTEL_PROPAGATORS?.trim()
  if (!value) return true
  const names = value.split(',').map((name) => name.trim().toLowerCase())
  const other = names.filter((name) => name && !['tracecontext', 'baggage', 'none'].includes(name))
  if (other.length > 0) notes.push(`OTEL_PROPAGATORS names ${other.join(', ')}: MCP carries trace context in params._meta as W3C traceparent only, so only tracecontext applies there.`)
  return names.includes('tracecontext') && !names.includes('none')
}

function bool(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true'
}

/** `k=v,k2=v2` as in OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES (values percent-encoded). */
export function parsePairs(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!text) return out
  for (const part of text.split(',')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const key = part.slice(0, eq).trim()
    if (key) out[key] = percentDecoded(part.slice(eq + 1).trim())
  }

  return out
}

/** The inverse of parsePairs: values percent-encoded, so a comma or `=` in a value survives. */
export function formatPairs(pairs: Readonly<Record<string, string>>): string {
  return Object.entries(pairs)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join(',')
}

function percentDecoded(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    // A stray % is kept as written.
    return raw
  }
}

/** `--otlp-header k=v` flags into a record (values percent-decoded, as in OTEL_EXPORTER_OTLP_HEADERS); throws on a value without `=`. */
export function parseHeaderFlags(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined
  const out: Record<string, string> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq <= 0) throw new Error(`--otlp-header ${value} is not name=value`)
    out[value.slice(0, eq).trim()] = percentDecoded(value.slice(eq + 1).trim())
  }

  return out
}
