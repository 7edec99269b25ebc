import {writeFileSync} from 'node:fs'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, errorMessage, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {stateDir} from '../../src/state.js'
import {parseHeaderFlags, resolveOtelConfig} from '../../src/telemetry/config.js'
import {filterFlags, timeFlag, windowFlags} from '../../src/telemetry/flags.js'
import {toOtlpJsonLines, toWireSpans} from '../../src/telemetry/otlp-json.js'
import {matches} from '../../src/telemetry/query.js'
import {readStore} from '../../src/telemetry/store/read.js'
import {tracesDir} from '../../src/telemetry/store/segments.js'

interface ExportResult {
  records: number
  /** OTLP JSON lines written (--out). */
  requests?: number
  out?: string
  endpoint?: string
  protocol?: string
}

export default class TracesExport extends BaseCommand<typeof TracesExport> {
  static override summary = 'Export recorded decisions as OTLP: to a file (OTLP JSON) or to an OTLP endpoint.'
  static override description = [
    "The local store's records become the spans the proxy emits live (agt.policy.evaluate, agt.approval.request, agt.trust.verify).",
    "With --out they are written as OTLP JSON, one ExportTraceServiceRequest per line: the format an OpenTelemetry Collector's file exporter writes, and that 'agentgov report' reads.",
    'Otherwise they are sent through the OpenTelemetry SDK exactly as the proxy exports, configured by the same OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL = http/protobuf, http/json or grpc, _HEADERS, _TIMEOUT, the per-signal _TRACES_ variants, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES); --otlp-endpoint and --otlp-header override them. Every record is sent, whatever the sampler. Span ids derive from record hashes, so replaying twice sends the same spans.',
    exitCodesHelp({0: 'done', 2: 'usage error (no destination)', 3: 'the file cannot be written, or spans were not delivered'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Everything to a file', command: '<%= config.bin %> <%= command.id %> --format otlp-json --out traces.jsonl'},
    {description: "Replay last week's decisions to a collector", command: '<%= config.bin %> <%= command.id %> --since 7d --otlp-endpoint http://collector:4318 --otlp-header authorization=Bearer%20xyz'},
    {description: 'The same over OTLP/gRPC, configured as the proxy is', command: 'OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317 <%= config.bin %> <%= command.id %>'},
  ]

  static override flags = {
    format: Flags.string({description: 'Output format.', options: ['otlp-json'], default: 'otlp-json'}),
    out: Flags.string({description: 'File to write as OTLP JSON (- for stdout).', exclusive: ['otlp-endpoint', 'otlp-header']}),
    'otlp-endpoint': Flags.string({description: 'OTLP base URL (default: OTEL_EXPORTER_OTLP_ENDPOINT); over HTTP /v1/traces is appended.'}),
    'otlp-header': Flags.string({description: 'Header for the endpoint, name=value, value percent-encoded (repeatable; adds to OTEL_EXPORTER_OTLP_HEADERS).', multiple: true}),
    ...windowFlags,
    ...filterFlags,
  }

  public async run(): Promise<ExportResult> {
    const since = timeFlag('since', this.flags.since)
    const until = timeFlag('until', this.flags.until)
    const records = readStore(tracesDir(stateDir()), {since, until}).filter((r) => matches(r, this.flags))
    if (this.flags.out !== undefined) {
      const lines = toOtlpJsonLines(records, process.env.OTEL_SERVICE_NAME || 'agentgov')
      if (this.flags.out === '-') process.stdout.write(lines.map((l) => l + '\n').join(''))
      else writeOut(this.flags.out, lines)
      if (!this.jsonEnabled() && this.flags.out !== '-') process.stdout.write(`Exported ${records.length} record(s) in ${lines.length} request(s) to ${this.flags.out}.\n`)
      return {records: records.length, requests: lines.length, out: this.flags.out}
    }

    const result = await this.send(records)
    if (!this.jsonEnabled()) process.stdout.write(`Exported ${result.records} record(s) to ${result.endpoint} over ${result.protocol}.\n`)
    return result
  }

  /** Through the OpenTelemetry SDK, as the proxy exports: the same OTEL_* configuration, flags over it. */
  private async send(records: Parameters<typeof toWireSpans>[0]): Promise<ExportResult> {
    let otlpHeaders: Record<string, string> | undefined
    try {
      otlpHeaders = parseHeaderFlags(this.flags['otlp-header'])
    } catch (error) {
      throw new AgentgovError(`${errorMessage(error)}.`, {exit: ExitCode.usage, hint: 'Example: --otlp-header authorization=Bearer%20xyz'})
    }

    const config = resolveOtelConfig(process.env, {otlpEndpoint: this.flags['otlp-endpoint'], otlpHeaders})
    const traces = config?.traces
    if (!config || !traces?.endpoint) {
      throw new AgentgovError('Nowhere to export to: give --out FILE, or --otlp-endpoint URL (or set OTEL_EXPORTER_OTLP_ENDPOINT).', {
        exit: ExitCode.usage,
        hint: 'Example: agentgov traces export --out traces.jsonl, or agentgov traces export --otlp-endpoint http://collector:4318',
      })
    }

    const {replaySpans} = await import('../../src/telemetry/otel.js')
    const spans = toWireSpans(records)
    // The failure is the command's answer, not a warning beside it.
    const replayed = await replaySpans({...config, traces: {...traces, exporters: ['otlp']}, metrics: undefined}, spans, (message) => {
      if (!message.startsWith('OTLP export')) process.stderr.write(`agentgov: ${message}\n`)
    })
    if (replayed.delivered < spans.length) {
      throw new AgentgovError(`Sent ${replayed.delivered} of ${spans.length} span(s) to ${traces.endpoint} over ${traces.protocol}: ${replayed.failure ?? 'the export did not finish in time'}.`, {
        exit: ExitCode.input,
        hint: 'Check the endpoint and OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or http/json: usually port 4318, grpc: 4317) and run again: span ids are stable, so resending is safe.',
      })
    }

    return {records: records.length, endpoint: traces.endpoint, protocol: traces.protocol}
  }
}

function writeOut(path: string, lines: string[]): void {
  try {
    writeFileSync(path, lines.map((l) => l + '\n').join(''), {mode: 0o600})
  } catch (error) {
    throw new AgentgovError(`Cannot write ${path}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: 'Choose a writable path.'})
  }
}
