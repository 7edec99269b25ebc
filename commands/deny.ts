import {Args} from '@oclif/core'

import {answerFromTerminal} from '../src/approvals/answer.js'
import {BaseCommand} from '../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../src/errors.js'

export default class Deny extends BaseCommand<typeof Deny> {
  static override summary = 'Deny a call that a proxy holds for human approval.'
  static override description = ['The agent gets the denial and the rule\'s reason. Your user name and host are recorded.', exitCodesHelp({3: 'no held call has that id', [ExitCode.state]: true})].join('\n\n')
  static override examples = [{description: 'Deny a held call', command: '<%= config.bin %> <%= command.id %> 3f9a1c2e'}]
  static override args = {id: Args.string({description: 'Approval id (from agentgov approvals).', required: true})}

  public async run(): Promise<object> {
    return answerFromTerminal(this.args.id, 'denied', this.jsonEnabled())
  }
}
