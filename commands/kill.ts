import {Flags} from '@oclif/core'

import {approverName} from '../src/approvals/approver.js'
import {BaseCommand} from '../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../src/errors.js'
import {setKilled} from '../src/proxy/killswitch.js'
import {ensureStateDir} from '../src/state.js'

export default class Kill extends BaseCommand<typeof Kill> {
  static override summary = 'Block every call of an agent in every running proxy, within a second.'
  static override description =
    ['The kill switch: proxies for the agent deny all its calls (rule kill_switch) until `agentgov revive`. It only restricts, so scripts and alerting may run it; reviving takes a person at a terminal.', exitCodesHelp({[ExitCode.state]: true})].join('\n\n')

  static override examples = [{description: 'Stop Cursor everywhere', command: '<%= config.bin %> <%= command.id %> --agent cursor --reason "suspicious deletes"'}]
  static override flags = {
    agent: Flags.string({description: 'The agent identity to block (as in --agent of its proxies).', required: true}),
    reason: Flags.string({description: 'Why, recorded with the block.'}),
  }

  public async run(): Promise<object> {
    const file = setKilled(ensureStateDir(), this.flags.agent, true, approverName(), this.flags.reason)
    if (!this.jsonEnabled()) process.stdout.write(`Blocked agent "${this.flags.agent}" in every proxy. Undo with: agentgov revive --agent ${this.flags.agent}\n`)
    return file
  }
}
