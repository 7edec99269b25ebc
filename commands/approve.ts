import {Args} from '@oclif/core'

import {answerApproval} from '../src/approvals/store.js'
import {approverName} from '../src/approvals/approver.js'
import {BaseCommand} from '../src/base-command.js'
import {assertHuman} from '../src/human-guard.js'
import {stateDir} from '../src/state.js'

export default class Approve extends BaseCommand<typeof Approve> {
  static override summary = 'Approve a call that a proxy holds for human approval.'
  static override description =
    'The proxy forwards the call at once. Only a person at a terminal can approve: the command refuses to run without a terminal or when started by an agent client. Your user name and host are recorded as the approver.'

  static override examples = [
    {description: 'List what waits, then approve one', command: '<%= config.bin %> approvals --json\n<%= config.bin %> <%= command.id %> 3f9a1c2e'},
  ]

  static override args = {id: Args.string({description: 'Approval id (from agentgov approvals).', required: true})}

  public async run(): Promise<object> {
    assertHuman('agentgov approve')
    const approval = answerApproval(stateDir(), this.args.id, 'approved', approverName())
    if (!this.jsonEnabled()) process.stdout.write(`Approved ${approval.id}: ${approval.agent} → ${approval.server}.${approval.tool}\n`)
    return approval
  }
}
