import {canonicalName} from './canonical.js'
import {compileNameGlob} from './glob.js'
import type {PolicySettings} from './types.js'

/**
 * Whether the policy names `agent` in `approve_in_client`: its client shows an elicitation to a
 * person, so an approval may be asked there. Matched like a policy's `agent:` (canonical name, globs);
 * an agent not named, or a name with no canonical form, is not.
 */
export function approvesInClient(settings: Pick<PolicySettings, 'approveInClient'>, agent: string): boolean {
  const name = canonicalName(agent)
  return name !== undefined && settings.approveInClient.some((pattern) => compileNameGlob(pattern).test(name))
}
