import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {exitCodesHelp} from '../../src/errors.js'
import {activeGrants, readGrants} from '../../src/policy/grants.js'
import type {Grant} from '../../src/policy/types.js'
import {stateDir} from '../../src/state.js'

export default class GrantList extends BaseCommand<typeof GrantList> {
  static override summary = 'List grants: active ones, or with --all those expired but not yet pruned.'
  static override description = exitCodesHelp({0: 'listed'})
  static override examples = [
    {description: 'Active grants', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Every grant in the file, as JSON', command: '<%= config.bin %> <%= command.id %> --all --json'},
  ]

  static override flags = {
    all: Flags.boolean({description: 'Include expired grants.', default: false}),
  }

  public async run(): Promise<{grants: Grant[]}> {
    const now = Date.now()
    const all = readGrants(stateDir())
    const grants = this.flags.all ? all : activeGrants(all, now)
    if (this.jsonEnabled()) return {grants}
    await this.renderView('policy-grants', {grants, now, title: this.flags.all ? 'Grants' : 'Active grants'})
    return {grants}
  }
}
