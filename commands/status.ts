import {Args} from '@oclif/core'

import {BaseCommand} from '../src/base-command.js'
import {exitCodesHelp} from '../src/errors.js'
import {hostFromEnv} from '../src/host.js'
import {stateDir} from '../src/state.js'
import {selectorFlags} from '../src/wrap/flags.js'
import {runStatus, type StatusReport} from '../src/wrap/run.js'

export default class Status extends BaseCommand<typeof Status> {
  static override summary = 'Say, per MCP server, whether it is wrapped, and whether its file changed since agentgov wrapped it.'
  static override description = [
    'Without arguments: every client config on this machine and every file agentgov holds a wrap record for. Read-only.',
    exitCodesHelp({0: 'done', 2: 'usage error', 3: 'a file you named is not a known client config'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Everything on this machine', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'One file, as JSON', command: '<%= config.bin %> <%= command.id %> ~/.cursor/mcp.json --json'},
    {description: 'One client', command: '<%= config.bin %> <%= command.id %> --client vscode'},
  ]

  static override strict = false
  static override args = {files: Args.string({description: 'Client config files to report on.', required: false})}
  static override flags = selectorFlags

  public async run(): Promise<StatusReport | undefined> {
    const host = hostFromEnv(process.env, this.flags.platform)
    const report = await runStatus(host, stateDir(), {files: this.positional, clients: this.flags.client ?? [], all: this.flags.all})
    if (this.jsonEnabled()) return report
    await this.renderView('wrap-status', {report, home: host.home})
    return undefined
  }
}
