import {Args} from '@oclif/core'

import {BaseCommand} from '../src/base-command.js'
import {exitCodesHelp} from '../src/errors.js'
import {hostFromEnv} from '../src/host.js'
import {ensureStateDir} from '../src/state.js'
import {changeFlags, selectorFlags} from '../src/wrap/flags.js'
import {exitCodeOf, runUnwrap, type WrapReport} from '../src/wrap/run.js'

export default class Unwrap extends BaseCommand<typeof Unwrap> {
  static override summary = 'Give client configs back exactly as they were before agentgov wrap.'
  static override description = [
    'A file unchanged since wrap is restored byte for byte from the backup in agentgov\'s state directory. A file edited since keeps those edits: only the wrapped entries are put back. A governed entry agentgov holds no record of (wrapped elsewhere or by an older agentgov) is rebuilt from its proxy launch when it is a stdio launch.',
    exitCodesHelp({0: 'done', 2: 'usage error', 3: 'a file is missing, empty, read-only or not valid', 4: 'state directory or lock unavailable', 5: 'a file changed during the edit (nothing written)'}),
  ].join('\n\n')

  static override examples = [
    {description: "Restore Cursor's user config", command: '<%= config.bin %> <%= command.id %> ~/.cursor/mcp.json'},
    {description: 'Restore everything agentgov wrapped on this machine', command: '<%= config.bin %> <%= command.id %> --all'},
    {description: 'See what restoring Claude Code would change', command: '<%= config.bin %> <%= command.id %> --client claude-code --dry-run'},
  ]

  static override strict = false
  static override args = {files: Args.string({description: 'Client config files to restore.', required: false})}
  static override flags = {...selectorFlags, ...changeFlags}

  public async run(): Promise<WrapReport | undefined> {
    const host = hostFromEnv(process.env, this.flags.platform)
    const report = await runUnwrap(host, ensureStateDir(), {
      files: this.positional,
      clients: this.flags.client ?? [],
      all: this.flags.all,
      dryRun: this.flags['dry-run'],
    })
    process.exitCode = exitCodeOf(report)
    if (this.jsonEnabled()) return report
    // Diffs go out verbatim: ink would wrap their long lines and break the patch.
    for (const file of report.files) if (file.diff) process.stdout.write(file.diff)
    await this.renderView('wrap', {report, home: host.home})
    return undefined
  }
}
