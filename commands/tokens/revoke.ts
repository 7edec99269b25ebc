import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../../src/errors.js'
import {revokeTokens, tokenFilePath} from '../../src/proxy/tokens.js'
import {ensureStateDir} from '../../src/state.js'

export default class TokensRevoke extends BaseCommand<typeof TokensRevoke> {
  static override summary = 'Revoke every token of an agent.'
  static override description = ['New HTTP sessions of the agent are refused at once.', exitCodesHelp({[ExitCode.state]: true})].join('\n\n')
  static override examples = [{description: 'Cut a bot off', command: '<%= config.bin %> <%= command.id %> --agent release-bot'}]
  static override flags = {
    agent: Flags.string({description: 'The agent whose tokens to revoke.', required: true}),
    file: Flags.string({description: 'Token file (default: ~/.agentgov/tokens.json).'}),
  }

  public async run(): Promise<object> {
    const revoked = revokeTokens(this.flags.file ?? tokenFilePath(ensureStateDir()), this.flags.agent)
    if (!this.jsonEnabled()) process.stdout.write(`Revoked ${revoked} token(s) of "${this.flags.agent}".\n`)
    return {agent: this.flags.agent, revoked}
  }
}
