import {writeFileSync} from 'node:fs'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, errorMessage, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {stateDir} from '../../src/state.js'
import {parseHeaderFlags} from '../../src/telemetry/config.js'
import {filterFlags, timeFlag, windowFlags} from '../../src/telemetry/flags.js'
import {toOtlpJsonLines} from '../../src/telemetry/otlp-json.js'
import {matches} from '../../src/telemetry/query.js'
import {readStore} from '../../src/telemetry/store/read.js'
import {tracesDir} from '../../src/telemetry/store/segments.js'

interface ExportResult {
  records: number
  requests: number
  out?: string
  endpoint?: string
}

export default class TracesExport extends BaseCommand<typeof TracesExport> {
  static override summary = 'Export recorded decisions as OTLP JSON, to a file or to an OTLP endpoint.'
  static override description = [
    "Writes the local store's records as the spans the proxy emits live (agt.policy.evaluate, agt.approval.request, agt.trust.verify), one ExportTraceServiceRequest per line: the format an OpenTelemetry Collector's file exporter writes, and that 'agentgov report' reads.",
    'With --otlp-endpoint the same requests are POSTed (OTLP/HTTP JSON) to <endpoint>/v1/traces: replay what was collected offline. Span ids derive from record hashes, so replaying twice sends the same spans.',
    exitCodesHelp({0: 'done', 2: 'usage error', 3: 'the file cannot be written or the endpoint refused'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Everything to a file', command: '<%= config.bin %> <%= command.id %> --format otlp-json --out traces.jsonl'},
    {description: "Replay last week's decisions to a collector", command: '<%= config.bin %> <%= command.id %> --since 7d --otlp-endpoint http://collector:4318 --otlp-header authorization=Bearer%20xyz'},
  ]

  static override flags = {
    format: Flags.string({description: 'Output format.', options: ['otlp-json'], default: 'otlp-json'}),
    out: Flags.string({description: 'File to write (- for stdout).', exactlyOne: ['out', 'otlp-endpoint']}),
    'otlp-endpoint': Flags.string({description: 'OTLP/HTTP base URL; /v1/traces is appended.', exactlyOne: ['out', 'otlp-endpoint']}),
    'otlp-header': Flags.string({description: 'Header for the endpoint, name=value (repeatable; adds to OTEL_EXPORTER_OTLP_HEADERS).', multiple: true}),
    ...windowFlags,
    ...filterFlags,
  }

  public async run(): Promise<ExportResult> {
    const since = timeFlag('since', this.flags.since)
    const until = timeFlag('until', this.flags.until)
    const records = readStore(tracesDir(stateDir()), {since, until}).filter((r) => matches(r, this.flags))
    const lines = toOtlpJsonLines(records, process.env.OTEL_SERVICE_NAME || 'agentgov')
    const result: ExportResult = {records: records.length, requests: lines.length}
    if (this.flags.out !== undefined) {
      result.out = this.flags.out
      if (this.flags.out === '-') process.stdout.write(lines.map((l) => l + '\n').join(''))
      else writeOut(this.flags.out, lines)
    } else {
      result.endpoint = await this.replay(this.flags['otlp-endpoint']!, lines)
    }

    if (!this.jsonEnabled() && this.flags.out !== '-') process.stdout.write(`Exported ${result.records} record(s) in ${result.requests} request(s) to ${result.out ?? result.endpoint}.\n`)
    return result
  }

  private async replay(endpoint: string, lines: string[]): Promise<string> {
    const url = `${endpoint.replace(/\/+$/, '')}/v1/traces`
    const {parsePairs} = await import('../../src/telemetry/config.js')
    let headers: Record<string, string>
    try {
      headers = {...parsePairs(process.env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaderFlags(this.flags['otlp-header']), 'content-type': 'application/json'}
    } catch (error) {
      throw new AgentgovError(`${errorMessage(error)}.`, {exit: ExitCode.usage, hint: 'Example: --otlp-header authorization=Bearer%20xyz'})
    }

    for (const [i, body] of lines.entries()) {
      let response: Response
      try {
        response = await fetch(url, {method: 'POST', headers, body, signal: AbortSignal.timeout(30_000)})
      } catch (error) {
        throw new AgentgovError(`Cannot reach ${url}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: `Sent ${i} of ${lines.length} request(s). Check the endpoint and run again: span ids are stable, so resending is safe.`})
      }

      if (!response.ok) {
        throw new AgentgovError(`${url} answered ${response.status} ${response.statusText}.`, {exit: ExitCode.input, hint: `Sent ${i} of ${lines.length} request(s). ${(await response.text()).slice(0, 200)}`})
      }
    }

    return url
  }
}

function writeOut(path: string, lines: string[]): void {
  try {
    writeFileSync(path, lines.map((l) => l + '\n').join(''), {mode: 0o600})
  } catch (error) {
    throw new AgentgovError(`Cannot write ${path}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: 'Choose a writable path.'})
  }
}
