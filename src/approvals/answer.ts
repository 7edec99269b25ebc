import {assertHuman} from '../human-guard.js'
import {stateDir} from '../state.js'
import {approverName} from './approver.js'
import {type Approval, answerApproval} from './store.js'

/** What `agentgov approve` and `agentgov deny` do: a person's answer to one held call. */
export function answerFromTerminal(id: string, outcome: 'approved' | 'denied', quiet: boolean): Approval {
  const verb = outcome === 'approved' ? 'approve' : 'deny'
  assertHuman(`agentgov ${verb}`)
  const approval = answerApproval(stateDir(), id, outcome, approverName())
  if (!quiet) process.stdout.write(`${outcome === 'approved' ? 'Approved' : 'Denied'} ${approval.id}: ${approval.agent} → ${approval.server}.${approval.tool}\n`)
  return approval
}
