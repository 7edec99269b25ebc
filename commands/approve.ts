import {Args} from '@oclif/core'

import {answerFromTerminal} from '../src/approvals/answer.js'
import {BaseCommand} from '../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../src/errors.js'

export default class Approve extends BaseCommand<typeof Approve> {
  static override summary = 'Approve a call that a proxy holds for human approval.'
  static override description =
    ['The proxy forwards the call at once. Only a person at a terminal can approve: the command refuses to run without a terminal or when started by an agent client. Your user name and host are recorded as the approver.', exitCodesHelp({3: 'no held call has that id', [ExitCode.state]: true})].join('\n\n')

  static override examples = [
    {description: 'List what waits, then approve one', command: '<%= config.bin %> approvals --json\n<%= config.bin %> <%= command.id %> 3f9a1c2e'},
  ]

  static override args = {id: Args.string({description: 'Approval id (from agentgov approvals).', required: true})}

  public async run(): Promise<object> {
    return answerFromTerminal(this.args.id, 'approved', this.jsonEnabled())
  }
}
