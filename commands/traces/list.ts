import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {exitCodesHelp} from '../../src/errors.js'
import {stateDir} from '../../src/state.js'
import {filterFlags, timeFlag, windowFlags} from '../../src/telemetry/flags.js'
import {formatLine, matches} from '../../src/telemetry/query.js'
import {readStore} from '../../src/telemetry/store/read.js'
import {tracesDir} from '../../src/telemetry/store/segments.js'
import type {StoredRecord} from '../../src/telemetry/types.js'
import {shown} from '../../src/ui/text.js'

export default class TracesList extends BaseCommand<typeof TracesList> {
  static override summary = 'List recorded decisions, newest last.'
  static override description = [
    'Reads the local trace store (~/.agentgov/traces, or $AGENTGOV_HOME/traces): every policy decision, approval round and trust check the proxies recorded, across all of them, in time order.',
    exitCodesHelp({0: 'done', 2: 'usage error'}),
  ].join('\n\n')

  static override examples = [
    {description: 'The last 50 records', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Denials of one agent in the last day', command: '<%= config.bin %> <%= command.id %> --agent claude-code --action deny --since 24h'},
    {description: 'Everything in a window, machine-readable', command: '<%= config.bin %> <%= command.id %> --since 2026-01-01 --until 2026-02-01 --limit 0 --json'},
  ]

  static override flags = {
    ...filterFlags,
    ...windowFlags,
    limit: Flags.integer({description: 'Show at most this many (the newest); 0 for all.', default: 50, min: 0}),
  }

  public async run(): Promise<{records: StoredRecord[]; total: number}> {
    const since = timeFlag('since', this.flags.since)
    const until = timeFlag('until', this.flags.until)
    const all = readStore(tracesDir(stateDir()), {since, until}).filter((r) => matches(r, this.flags))
    const records = this.flags.limit > 0 ? all.slice(-this.flags.limit) : all
    if (this.jsonEnabled()) return {records, total: all.length}
    if (!process.stdout.isTTY || process.env.CI) {
      for (const record of records) process.stdout.write(shown(formatLine(record)) + '\n')
      return {records, total: all.length}
    }

    await this.renderView('traces-list', {records, empty: 'No records match.'})
    return {records, total: all.length}
  }
}
