/**
 * Which OTLP export, if any, the standard OTEL_* variables and the command flags ask for. Pure and
 * dependency-free: this runs on every proxy start, and when it answers "none" no OpenTelemetry SDK
 * module is ever loaded.
 */

export interface OtelConfig {
  /** Undefined: no trace export. */
  tracesUrl?: string
  /** Undefined: no metric export. */
  metricsUrl?: string
  headers: Record<string, string>
  serviceName: string
  resourceAttributes: Record<string, string>
  metricIntervalMs: number
}

export interface OtelFlags {
  otlpEndpoint?: string
  otlpHeaders?: Record<string, string>
  serviceName?: string
}

/** Undefined when export is off: OTEL_SDK_DISABLED=true, or no endpoint set anywhere. */
export function resolveOtelConfig(env: NodeJS.ProcessEnv, flags: OtelFlags = {}): OtelConfig | undefined {
  const flagged = Boolean(flags.otlpEndpoint)
  // An explicit --otlp-endpoint on the command line is a stronger statement than an inherited variable.
  if (!flagged && env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined
  const base = flags.otlpEndpoint || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined
  const tracesUrl = signalUrl(flagged ? undefined : env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, base, 'traces', flagged ? undefined : env.OTEL_TRACES_EXPORTER)
  const metricsUrl = signalUrl(flagged ? undefined : env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, base, 'metrics', flagged ? undefined : env.OTEL_METRICS_EXPORTER)
  if (!tracesUrl && !metricsUrl) return undefined

  const resourceAttributes = parsePairs(env.OTEL_RESOURCE_ATTRIBUTES)
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL)
  return {
    tracesUrl,
    metricsUrl,
    headers: {...parsePairs(env.OTEL_EXPORTER_OTLP_HEADERS), ...flags.otlpHeaders},
    serviceName: flags.serviceName || env.OTEL_SERVICE_NAME || resourceAttributes['service.name'] || 'agentgov',
    resourceAttributes,
    metricIntervalMs: Number.isFinite(interval) && interval > 0 ? interval : 10_000,
  }
}

function signalUrl(specific: string | undefined, base: string | undefined, signal: string, exporter: string | undefined): string | undefined {
  if (exporter?.trim().toLowerCase() === 'none') return undefined
  if (specific) return specific
  if (!base) return undefined
  return `${base.replace(/\/+$/, '')}/v1/${signal}`
}

/** `k=v,k2=v2` as in OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES (values percent-encoded). */
export function parsePairs(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!text) return out
  for (const part of text.split(',')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const key = part.slice(0, eq).trim()
    const raw = part.slice(eq + 1).trim()
    let value = raw
    try {
      value = decodeURIComponent(raw)
    } catch {
      // A stray % is kept as written.
    }

    if (key) out[key] = value
  }

  return out
}

/** `--otlp-header k=v` flags into a record; throws on a value without `=`. */
export function parseHeaderFlags(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined
  const out: Record<string, string> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq <= 0) throw new Error(`--otlp-header ${value} is not name=value`)
    out[value.slice(0, eq).trim()] = value.slice(eq + 1).trim()
  }

  return out
}
