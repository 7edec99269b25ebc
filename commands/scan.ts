import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../src/base-command.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../src/errors.js'
import {hostFromEnv} from '../src/host.js'
import {stopAll} from '../src/scan/child.js'
import {consent} from '../src/scan/consent.js'
import {scanProgress} from '../src/scan/progress.js'
import {failsAt, runScan} from '../src/scan/run.js'
import {selectServers} from '../src/scan/select.js'
import type {ScanReport} from '../src/scan/types.js'
import {ensureStateDir} from '../src/state.js'

const SEVERITIES = ['high', 'medium', 'low'] as const

export default class Scan extends BaseCommand<typeof Scan> {
  static override summary = "Start or reach every MCP server your clients configure, list its tools, prompts and resources, and judge them before an agent does."
  static override description = [
    'Each stdio server is started exactly as its client starts it (command, args, env, cwd; a wrapped entry as the server it wraps) and each remote one is reached with its configured headers, in either protocol era. Only list methods are sent: no tool is ever called. Every server started is stopped at the end, on a timeout and on Ctrl-C.',
    "What was listed is judged with the proxy's detector (per client, with the other servers' tools as context), toxic flows across servers are found (untrusted content in, private data read, data sent out), and the tool definitions become the pin baseline the proxy checks: the first proxied tools/list then shows any change since the scan. A scan needs your consent: a prompt in a terminal, --yes otherwise (docs/scan.md).",
    exitCodesHelp({
      0: 'done (a server that fails to start is a row of the report, not an error)',
      1: 'findings at or above --fail-on',
      2: 'usage error, or no terminal to ask for consent and no --yes',
      3: 'a config file you named is missing or invalid',
      4: 'the pins cannot be written to the state directory',
    }),
  ].join('\n\n')

  static override examples = [
    {description: 'Scan every server of every client on this machine (asks first)', command: '<%= config.bin %> <%= command.id %>'},
    {description: "Scan Cursor's servers only", command: '<%= config.bin %> <%= command.id %> --client cursor'},
    {description: 'One server of one config file, with a shorter timeout', command: '<%= config.bin %> <%= command.id %> .vscode/mcp.json --server github --timeout 5'},
    {description: 'In CI: SARIF out, fail on high findings', command: '<%= config.bin %> <%= command.id %> .mcp.json --yes --sarif --fail-on high > scan.sarif'},
  ]

  static override strict = false
  static override args = {files: Args.string({description: 'Client config files to scan (default: every config discover finds).', required: false})}
  static override flags = {
    client: Flags.string({description: 'Only this client’s configs (repeatable; with FILE: read FILE as this client).', multiple: true}),
    server: Flags.string({description: 'Only the server of this name (repeatable).', multiple: true}),
    timeout: Flags.integer({description: 'Seconds each server has to start and list everything.', default: 15, min: 1, max: 600}),
    yes: Flags.boolean({description: 'Consent to starting the servers without being asked (needed without a terminal).', default: false}),
    sarif: Flags.boolean({description: 'Print findings as SARIF 2.1.0 instead of the human view.', default: false, exclusive: ['json']}),
    'fail-on': Flags.string({description: 'Exit 1 when a finding of this severity or higher is found.', options: [...SEVERITIES]}),
    platform: Flags.string({description: 'Path conventions to scan with (default: this OS; also AGENTGOV_PLATFORM).', options: ['linux', 'darwin', 'win32'], hidden: true}),
  }

  public async run(): Promise<ScanReport | undefined> {
    const host = hostFromEnv(process.env, this.flags.platform)
    const targets = await selectServers(host, {files: this.positional, clients: this.flags.client ?? [], servers: this.flags.server ?? []})
    if (this.flags.server && targets.length === 0) {
      throw new AgentgovError(`No server named ${this.flags.server.join(', ')} in the configs selected.`, {exit: ExitCode.usage, hint: "See 'agentgov discover' for the servers each client has."})
    }

    if (!(await consent(targets, this.flags.yes))) {
      process.stderr.write('agentgov: nothing was started.\n')
      return undefined
    }

    const stateDir = ensureStateDir()
    const progress = scanProgress()
    // Ctrl-C: stop every server this scan started, then end as an interrupted command does.
    const interrupted = (signal: NodeJS.Signals) => {
      progress.done()
      void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
    }

    process.once('SIGINT', interrupted)
    process.once('SIGTERM', interrupted)
    const report = await runScan(targets, {timeoutMs: this.flags.timeout * 1000, stateDir, env: process.env, onProgress: progress.update}).finally(() => {
      progress.done()
      process.off('SIGINT', interrupted)
      process.off('SIGTERM', interrupted)
    })

    const threshold = this.flags['fail-on'] as (typeof SEVERITIES)[number] | undefined
    const failing = failsAt(report, threshold)
    if (failing > 0) {
      process.exitCode = ExitCode.checkFailed
      process.stderr.write(`agentgov: ${failing} finding(s) at or above ${threshold} (--fail-on ${threshold}).\n`)
    }

    if (this.jsonEnabled()) return report
    if (this.flags.sarif) {
      process.stdout.write(JSON.stringify((await import('../src/scan/sarif.js')).scanSarif(report, process.cwd()), null, 2) + '\n')
      return undefined
    }

    await this.renderView('scan', {report, home: host.home})
    return undefined
  }
}
