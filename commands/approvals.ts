import {Flags} from '@oclif/core'

import {listApprovals} from '../src/approvals/store.js'
import {BaseCommand} from '../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../src/errors.js'
import {stateDir} from '../src/state.js'

export default class Approvals extends BaseCommand<typeof Approvals> {
  static override summary = 'Calls waiting for a person: list them, approve or deny.'
  static override description =
    ['In a terminal this is a live view of every call that running proxies hold for approval (↑/↓ to choose, a to approve, d to deny, q to quit). Without a terminal, or with --json, it lists them once. A held call is denied when its time runs out (the policy\'s approval timeout, 120 s by default).', exitCodesHelp({[ExitCode.state]: true})].join('\n\n')

  static override examples = [
    {description: 'Watch and answer approvals', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Everything, answered or not, as JSON', command: '<%= config.bin %> <%= command.id %> --all --json'},
  ]

  static override flags = {
    all: Flags.boolean({description: 'Include answered, expired and cancelled approvals.', default: false}),
  }

  public async run(): Promise<object | undefined> {
    const dir = stateDir()
    if (this.jsonEnabled()) return {approvals: listApprovals(dir, {all: this.flags.all})}
    const [{approverName}, {agentAncestor}] = await Promise.all([import('../src/approvals/approver.js'), import('../src/human-guard.js')])
    // Answering from the view is a person's act: only in a terminal, and not under an agent.
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY) && !agentAncestor()
    const props = {stateDir: dir, approver: approverName(), interactive}
    await (interactive ? this.renderLiveView('approvals', props) : this.renderView('approvals', props))
    return undefined
  }
}
