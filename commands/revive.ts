import {Flags} from '@oclif/core'

import {approverName} from '../src/approvals/approver.js'
import {BaseCommand} from '../src/base-command.js'
import {assertHuman} from '../src/human-guard.js'
import {readKilled, setKilled} from '../src/proxy/killswitch.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../src/errors.js'
import {ensureStateDir} from '../src/state.js'

export default class Revive extends BaseCommand<typeof Revive> {
  static override summary = 'Lift the kill switch for an agent.'
  static override description = ['Calls of the agent are decided by the policy again. Only a person at a terminal can revive an agent.', exitCodesHelp({3: 'the agent is not blocked', [ExitCode.state]: true})].join('\n\n')
  static override examples = [{description: 'Let Cursor work again', command: '<%= config.bin %> <%= command.id %> --agent cursor'}]
  static override flags = {agent: Flags.string({description: 'The agent identity to unblock.', required: true})}

  public async run(): Promise<object> {
    assertHuman('agentgov revive')
    const dir = ensureStateDir()
    if (!readKilled(dir).agents[this.flags.agent]) {
      throw new AgentgovError(`Agent "${this.flags.agent}" is not blocked.`, {exit: ExitCode.input, hint: 'agentgov kill --json lists nothing; see killswitch.json in the state directory.'})
    }

    const file = setKilled(dir, this.flags.agent, false, approverName())
    if (!this.jsonEnabled()) process.stdout.write(`Agent "${this.flags.agent}" is no longer blocked.\n`)
    return file
  }
}
