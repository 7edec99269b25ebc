import {statSync} from 'node:fs'
import {resolve} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../src/base-command.js'
import {count, progressLine} from '../src/cli/progress.js'
import {CLIENTS} from '../src/clients/index.js'
import {loadApproved} from '../src/discovery/approved.js'
import {discover} from '../src/discovery/index.js'
import {severityRank} from '../src/discovery/rules.js'
import {type Inventory, SEVERITIES, type Severity} from '../src/discovery/types.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../src/errors.js'
import {hostFromEnv} from '../src/host.js'
import {stateDir} from '../src/state.js'

export default class Discover extends BaseCommand<typeof Discover> {
  static override summary = 'Find every AI agent client, MCP server and agent framework, and say which are governed.'
  static override description = [
    `Reads the MCP configs of ${CLIENTS.length} clients on this machine (user, project, local, managed and extension scope), the repositories you name, and the running processes. Read-only and offline: it never starts a server, never writes a user file and never prints a secret value.`,
    'Each server is governed (launched through agentgov proxy), approved (listed in the approved inventory: ~/.agentgov/approved.yaml, or --approved) or shadow. Findings carry a severity, file and line, a fix and OWASP ASI and MCP Top 10 ids.',
    exitCodesHelp({0: 'done', 1: 'findings at or above --fail-on', 2: 'usage error', 3: 'a path or file you named is missing or invalid'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Scan this machine and its running processes', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Also scan a folder of repositories', command: '<%= config.bin %> <%= command.id %> ~/code'},
    {
      description: 'In CI: scan only the checkout, write SARIF, fail on high findings',
      command: '<%= config.bin %> <%= command.id %> . --no-machine --no-processes --sarif --fail-on high > agentgov.sarif',
    },
    {description: 'Machine-readable inventory', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  static override strict = false
  static override args = {
    paths: Args.string({description: 'Repositories, or folders of repositories, to scan.', required: false}),
  }

  static override flags = {
    repo: Flags.string({description: 'A repository or folder of repositories to scan (repeatable).', multiple: true}),
    exclude: Flags.string({
      description: 'Leave out paths matching this glob (repeatable): a name anywhere (fixtures, *.gen.ts) or a path from the folder scanned (legacy/**).',
      multiple: true,
    }),
    gitignore: Flags.boolean({description: "Also leave out what the repositories' .gitignore files ignore.", default: false}),
    machine: Flags.boolean({description: 'Scan MCP client configs on this machine.', default: true, allowNo: true}),
    processes: Flags.boolean({description: 'Scan running processes for agent clients and MCP servers.', default: true, allowNo: true}),
    approved: Flags.string({description: 'Approved inventory file (default: ~/.agentgov/approved.yaml when it exists).'}),
    sarif: Flags.boolean({description: 'Print findings as SARIF 2.1.0 instead of the human view.', default: false, exclusive: ['json']}),
    'fail-on': Flags.string({
      description: 'Exit 1 when a finding of this severity or higher is found.',
      options: [...SEVERITIES],
    }),
    platform: Flags.string({
      description: 'Path conventions to scan with (default: this OS; also AGENTGOV_PLATFORM).',
      options: ['linux', 'darwin', 'win32'],
      hidden: true,
    }),
  }

  public async run(): Promise<Inventory | undefined> {
    const repositories = [...this.positional, ...(this.flags.repo ?? [])].map((p) => checkedDirectory(p))
    const host = hostFromEnv(process.env, this.flags.platform)
    const approved = loadApproved(this.flags.approved, stateDir())
    const progress = progressLine<{repositories: number; files: number}>(
      ({repositories, files}) => `scanning: ${repositories} repositor${repositories === 1 ? 'y' : 'ies'}, ${count(files)} files…`,
    )
    const inventory = await discover({
      host,
      machine: this.flags.machine,
      processes: this.flags.processes,
      repositories: [...new Set(repositories)],
      approved,
      walk: {exclude: this.flags.exclude, gitignore: this.flags.gitignore, onProgress: progress.update},
    }).finally(() => progress.done())
    this.diag(`scanned ${inventory.stats.filesVisited} files in ${inventory.stats.wallMs} ms`)

    this.failIfFindingsAtOrAbove(inventory, this.flags['fail-on'] as Severity | undefined)
    if (this.jsonEnabled()) return inventory
    if (this.flags.sarif) {
      const {findingsLeftOutOfSarif, toSarif} = await import('../src/discovery/sarif.js')
      process.stdout.write(JSON.stringify(toSarif(inventory), null, 2) + '\n')
      const left = findingsLeftOutOfSarif(inventory).length
      if (left > 0) process.stderr.write(`agentgov: ${left} finding(s) about running processes are not in the SARIF log (code scanning needs a file for each); --json lists them.\n`)
      return undefined
    }

    // ink and React load only for the human view: --json and --sarif stay fast.
    await this.renderView('discover', {inventory})
    return undefined
  }

  /** The output is still printed in full; only the exit code says the check failed. */
  private failIfFindingsAtOrAbove(inventory: Inventory, threshold: Severity | undefined): void {
    if (!threshold) return
    const count = inventory.findings.filter((f) => severityRank(f.severity) >= severityRank(threshold)).length
    if (count === 0) return
    process.exitCode = ExitCode.checkFailed
    process.stderr.write(`agentgov: ${count} finding(s) at or above ${threshold} (--fail-on ${threshold}).\n`)
  }
}

function checkedDirectory(path: string): string {
  const absolute = resolve(path)
  let isDirectory = false
  try {
    isDirectory = statSync(absolute).isDirectory()
  } catch {
    throw new AgentgovError(`Cannot scan ${path}: no such directory.`, {exit: ExitCode.input, hint: 'Pass an existing repository or folder.'})
  }

  if (!isDirectory) {
    throw new AgentgovError(`Cannot scan ${path}: it is a file, not a directory.`, {
      exit: ExitCode.input,
      hint: 'Pass the repository folder that holds it.',
    })
  }

  return absolute
}
