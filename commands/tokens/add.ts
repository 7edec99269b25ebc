import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../../src/errors.js'
import {assertHuman} from '../../src/human-guard.js'
import {addToken, tokenFilePath} from '../../src/proxy/tokens.js'
import {ensureStateDir} from '../../src/state.js'

export default class TokensAdd extends BaseCommand<typeof TokensAdd> {
  static override summary = 'Create a bearer token that identifies one agent to the proxy\'s HTTP face.'
  static override description = ['The token is printed once and only its SHA-256 digest is stored. Give it to the agent as Authorization: Bearer <token>. Only a person at a terminal can create tokens.', exitCodesHelp({[ExitCode.state]: true})].join('\n\n')
  static override examples = [{description: 'A token for a custom bot', command: '<%= config.bin %> <%= command.id %> --agent release-bot'}]
  static override flags = {
    agent: Flags.string({description: 'The agent identity the token stands for.', required: true}),
    file: Flags.string({description: 'Token file (default: ~/.agentgov/tokens.json).'}),
  }

  public async run(): Promise<object> {
    assertHuman('agentgov tokens add')
    const token = addToken(this.flags.file ?? tokenFilePath(ensureStateDir()), this.flags.agent)
    if (!this.jsonEnabled()) process.stdout.write(`${token}\n`)
    return {agent: this.flags.agent, token}
  }
}
