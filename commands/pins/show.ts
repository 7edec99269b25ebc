import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {type ServerPinReport, serverPinReport} from '../../src/proxy/pin-report.js'
import {stateDir} from '../../src/state.js'

export default class PinsShow extends BaseCommand<typeof PinsShow> {
  static override summary = "One server's pinned tools: when each was pinned, and what changed as a word-level diff."
  static override description = [
    'Every tool of the server (or the named ones, in any spelling), with the diff of each change waiting for acceptance: [-removed-] {+added+}, field by field, invisible and control characters spelt out (<U+200B>, <U+202E>, \\n). A new tool taken for a rename of a removed one is compared with that tool.',
    exitCodesHelp({3: 'nothing of that server (or no such tool) is pinned', [ExitCode.state]: true}),
  ].join('\n\n')

  static override examples = [
    {description: 'Every pinned tool of a server', command: '<%= config.bin %> <%= command.id %> github'},
    {description: 'One tool, as JSON', command: '<%= config.bin %> <%= command.id %> github create_issue --json'},
  ]

  static override strict = false
  static override args = {
    server: Args.string({description: "Server name (as in the proxy's --server).", required: true}),
    tools: Args.string({description: 'Tool names (default: every pinned tool).'}),
  }

  public async run(): Promise<ServerPinReport> {
    const [server, ...tools] = this.positional
    const report = serverPinReport(stateDir(), server, tools)
    if (!report || report.tools.length === 0) {
      throw new AgentgovError(`No tool definitions of "${server}"${tools.length > 0 ? ` named ${tools.join(', ')}` : ''} are pinned.`, {exit: ExitCode.input, hint: "Run 'agentgov pins list' to see the servers and tools that are."})
    }

    if (!this.jsonEnabled()) await this.renderView('pins', {servers: [report], detail: true})
    return report
  }
}
