import {existsSync, writeFileSync} from 'node:fs'
import {resolve} from 'node:path'

import {Flags} from '@oclif/core'

import {FRAMEWORK_IDS} from '../reports/compliance.js'
import {BaseCommand} from '../src/base-command.js'
import {count, progressLine} from '../src/cli/progress.js'
import {AgentgovError, errorMessage, ExitCode, exitCodesHelp, mustExist} from '../src/errors.js'
import {hostFromEnv} from '../src/host.js'
import type {CompiledPolicy} from '../src/policy/index.js'
import {defaultPolicyPath, loadPolicyFile} from '../src/policy/index.js'
import type {Report, ReportOptions} from '../src/report/index.js'
import {stateDir} from '../src/state.js'
import {parseTime} from '../src/telemetry/query.js'
import {tracesDir} from '../src/telemetry/store/segments.js'
import {shown} from '../src/ui/text.js'

export default class ReportCommand extends BaseCommand<typeof ReportCommand> {
  static override summary = 'OWASP ASI01–ASI10 and compliance coverage, from what the proxies actually decided.'
  static override description = [
    'Reads the trace store (or the stores and OTLP JSON files you name) in one streaming pass over the window, the policy in force and a discovery inventory, and says per risk and per clause: covered, partial, gap or out of reach, with the controls, the runtime evidence, example record ids and what is missing.',
    'Never "covered" without evidence: a control that never fired in the window is reported as such. A missing policy, an empty window or a corrupted store is reported in the output, not fatal.',
    exitCodesHelp({3: 'a --traces file or store you named does not exist or is invalid, or --out cannot be written (a missing policy or inventory is a finding of the report)'}),
  ].join('\n\n')

  static override examples = [
    {description: 'One-screen summary of the last 30 days', command: '<%= config.bin %> <%= command.id %> --owasp'},
    {description: 'Every framework, as a self-contained HTML file', command: '<%= config.bin %> <%= command.id %> --owasp --compliance all --format html --out report.html'},
    {description: 'From a collector export and a saved inventory', command: '<%= config.bin %> <%= command.id %> --owasp --traces spans.jsonl --inventory inventory.json --format markdown'},
  ]

  static override flags = {
    owasp: Flags.boolean({description: 'The OWASP Top 10 for Agentic Applications (ASI01–ASI10).', default: false}),
    compliance: Flags.string({description: 'A compliance framework, or all.', options: [...FRAMEWORK_IDS, 'all'], multiple: true}),
    since: Flags.string({description: 'Window start: a duration ago (30d, 24h) or an ISO date (default 30d).', exclusive: ['from']}),
    from: Flags.string({description: 'Window start (ISO date or duration ago).'}),
    to: Flags.string({description: 'Window end, exclusive (default now).'}),
    traces: Flags.string({description: 'A trace store directory or an OTLP JSON file (repeatable; default: the local store).', multiple: true}),
    policy: Flags.string({description: 'The policy file (default: ~/.agentgov/policy.yaml).'}),
    inventory: Flags.string({description: 'A saved inventory (agentgov discover --json); default: a fresh scan of this machine.'}),
    format: Flags.string({description: 'Output format.', options: ['terminal', 'markdown', 'html', 'json'], default: 'terminal'}),
    out: Flags.string({description: 'Write the report to this file instead of stdout.'}),
  }

  public async run(): Promise<Report | undefined> {
    const compliance = (this.flags.compliance ?? []).includes('all') ? FRAMEWORK_IDS : [...new Set(this.flags.compliance ?? [])]
    if (!this.flags.owasp && compliance.length === 0) {
      throw new AgentgovError('Nothing to report: choose --owasp, --compliance <framework>, or both.', {exit: ExitCode.usage, hint: 'Example: agentgov report --owasp --compliance all'})
    }

    const now = Date.now()
    const from = time('since', this.flags.since ?? this.flags.from ?? '30d', now)
    const to = this.flags.to ? time('to', this.flags.to, now) : now
    if (to <= from) throw new AgentgovError('The window is empty: --to is not after its start.', {exit: ExitCode.usage, hint: 'Example: --from 2026-01-01 --to 2026-02-01.'})

    for (const named of this.flags.traces ?? []) mustExist(named, 'The trace file or store')
    const options: ReportOptions = {
      window: {from, to},
      traces: (this.flags.traces ?? [tracesDir(stateDir())]).map((p) => resolve(p)),
      owasp: this.flags.owasp,
      compliance,
      ...this.loadPolicy(),
    }
    if (this.flags.inventory) options.inventoryFile = resolve(this.flags.inventory)
    else await this.freshInventory(options)

    const {buildReport} = await import('../src/report/index.js')
    const progress = progressLine<{records: number; source: string}>(({records, source}) => `reading traces: ${count(records)} records (${source})…`)
    const report = await buildReport({...options, onProgress: progress.update}).finally(() => progress.done())
    this.diag(`${report.summary.records} record(s) from ${report.sources.length} source(s)`)
    if (this.jsonEnabled()) return report
    const format = this.flags.format
    let text: string | undefined
    if (format === 'json') text = JSON.stringify(report, null, 2) + '\n'
    else if (format === 'markdown') text = (await import('../src/report/markdown.js')).toMarkdown(report)
    else if (format === 'html') text = (await import('../src/report/html.js')).toHtml(report)

    if (text === undefined && !this.flags.out) {
      await this.renderView('report', {report})
      return undefined
    }

    text ??= (await import('../src/report/markdown.js')).toMarkdown(report)
    // Tool, server and agent names in a report are chosen by servers and agents: escaped wherever the
    // text is read (a terminal, `cat report.md`); JSON escapes its own.
    if (format !== 'json') text = shown(text, {lines: true})
    if (this.flags.out) {
      try {
        writeFileSync(this.flags.out, text)
      } catch (error) {
        throw new AgentgovError(`Cannot write ${this.flags.out}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: 'Choose a writable path for --out.'})
      }

      process.stderr.write(`agentgov: report written to ${this.flags.out}\n`)
    } else {
      process.stdout.write(text)
    }

    return undefined
  }

  /** A missing or broken policy is a finding of the report, not a reason to refuse to write one. */
  private loadPolicy(): {policy?: CompiledPolicy; policyProblem?: {file: string; error: string}} {
    const file = resolve(this.flags.policy ?? defaultPolicyPath())
    if (!existsSync(file)) return {policyProblem: {file, error: 'no such file'}}
    try {
      return {policy: loadPolicyFile(file)}
    } catch (error) {
      return {policyProblem: {file, error: firstLine(errorMessage(error))}}
    }
  }

  private async freshInventory(options: ReportOptions): Promise<void> {
    try {
      const [{discover}, {loadApproved}] = await Promise.all([import('../src/discovery/index.js'), import('../src/discovery/approved.js')])
      options.inventory = await discover({host: hostFromEnv(process.env), machine: true, processes: true, repositories: [], approved: loadApproved(undefined, stateDir())})
    } catch (error) {
      options.inventoryError = `discovery failed: ${errorMessage(error)}`
    }
  }
}

function time(name: string, value: string, now: number): number {
  const t = parseTime(value, now)
  if (t === undefined) throw new AgentgovError(`--${name} ${value} is not a duration (30d, 24h) or a date.`, {exit: ExitCode.usage, hint: 'Example: --since 30d or --from 2026-01-01.'})
  return t
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim()) ?? text).trim()
}
