import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {revokeGrant} from '../../src/policy/grants.js'
import type {Grant} from '../../src/policy/types.js'
import {ensureStateDir} from '../../src/state.js'

export default class GrantRevoke extends BaseCommand<typeof GrantRevoke> {
  static override summary = 'Revoke a grant now; running proxies stop honouring it within a second.'
  static override description = exitCodesHelp({0: 'revoked', 3: 'no grant has that id (\'agentgov grant list --all\' shows them)', 4: 'the state directory cannot be written'})
  static override examples = [{description: 'Revoke a grant', command: '<%= config.bin %> <%= command.id %> g_1a2b3c4d'}]

  static override args = {
    id: Args.string({description: 'The grant id (g_…).', required: true}),
  }

  public async run(): Promise<{revoked: Grant}> {
    const revoked = revokeGrant(ensureStateDir(), this.args.id, Date.now())
    if (!revoked) throw new AgentgovError(`No grant has the id ${this.args.id}.`, {exit: ExitCode.input, hint: "List them with 'agentgov grant list --all'."})
    if (this.jsonEnabled()) return {revoked}
    await this.renderView('message', {lines: [{text: `Revoked ${revoked.id} (${revoked.agent}: ${revoked.tools.join(', ')}).`, color: 'green'}]})
    return {revoked}
  }
}
