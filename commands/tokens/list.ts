import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {exitCodesHelp, mustExist} from '../../src/errors.js'
import {type TokenFile, tokenFilePath} from '../../src/proxy/tokens.js'
import {readJsonFile} from '../../src/state-files.js'
import {stateDir} from '../../src/state.js'

export default class TokensList extends BaseCommand<typeof TokensList> {
  static override summary = 'Agents that hold tokens for the HTTP face (never the tokens themselves).'
  static override description = ['Shows the agent and creation time of each token; tokens are stored only as digests.', exitCodesHelp({3: 'the token file holds no tokens or cannot be read'})].join('\n\n')
  static override examples = [{description: 'Who can connect?', command: '<%= config.bin %> <%= command.id %>'}]
  static override flags = {file: Flags.string({description: 'Token file (default: ~/.agentgov/tokens.json).'})}

  public async run(): Promise<object> {
    if (this.flags.file) mustExist(this.flags.file, 'The token file')
    const file = readJsonFile<TokenFile>(this.flags.file ?? tokenFilePath(stateDir())) ?? {tokens: []}
    const tokens = file.tokens.map(({agent, createdAt}) => ({agent, createdAt}))
    if (!this.jsonEnabled()) {
      process.stdout.write(tokens.length === 0 ? 'No agent tokens.\n' : tokens.map((t) => `${t.agent}\t${t.createdAt}`).join('\n') + '\n')
    }

    return {tokens}
  }
}
