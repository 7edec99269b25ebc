import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {assertHuman} from '../../src/human-guard.js'
import {acceptPins} from '../../src/proxy/pins.js'
import {stateDir} from '../../src/state.js'

export default class PinsAccept extends BaseCommand<typeof PinsAccept> {
  static override summary = 'Accept changed tool definitions of a server, so its proxies allow them again.'
  static override description = ['Review the change first: agentgov pins show SERVER shows it as a word-level diff. Tool names match in any spelling (ECHO is echo). Only a person at a terminal can accept.', exitCodesHelp({3: 'no changed definitions of that server wait for acceptance', [ExitCode.state]: true})].join('\n\n')
  static override examples = [
    {description: 'Accept one changed tool', command: '<%= config.bin %> <%= command.id %> github create_issue'},
    {description: 'Accept every changed tool of a server', command: '<%= config.bin %> <%= command.id %> github'},
  ]

  static override strict = false
  static override args = {
    server: Args.string({description: 'Server name (as in the proxy\'s --server).', required: true}),
    tools: Args.string({description: 'Tool names (default: every changed tool).'}),
  }

  public async run(): Promise<object> {
    assertHuman('agentgov pins accept')
    const [server, ...tools] = this.positional
    const accepted = acceptPins(stateDir(), server, tools.length > 0 ? tools : undefined)
    if (accepted.length === 0) {
      throw new AgentgovError(`No changed tool definitions of "${server}"${tools.length > 0 ? ` named ${tools.join(', ')}` : ''} wait for acceptance.`, {exit: ExitCode.input, hint: "Run 'agentgov pins list' to see them."})
    }

    if (!this.jsonEnabled()) process.stdout.write(`Accepted the new definition of ${accepted.join(', ')} (${server}).\n`)
    return {server, accepted}
  }
}
