import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {stateDir} from '../../src/state.js'
import {findRecord} from '../../src/telemetry/store/read.js'
import {tracesDir} from '../../src/telemetry/store/segments.js'
import type {StoredRecord} from '../../src/telemetry/types.js'

export default class TracesShow extends BaseCommand<typeof TracesShow> {
  static override summary = 'Show one recorded decision in full.'
  static override description = [
    'ID is the record id that `traces list` prints (`<segment>:<seq>`), or a unique prefix of the record hash.',
    exitCodesHelp({0: 'done', 2: 'usage error', 3: 'no such record'}),
  ].join('\n\n')

  static override examples = [
    {description: 'One record by id', command: '<%= config.bin %> <%= command.id %> 20260131T101500123Z-4242-a1b2c3:17'},
    {description: 'By hash prefix, as JSON', command: '<%= config.bin %> <%= command.id %> 8e7401b1 --json'},
  ]

  static override args = {
    id: Args.string({description: 'Record id or hash prefix.', required: true}),
  }

  public async run(): Promise<StoredRecord> {
    const record = findRecord(tracesDir(stateDir()), this.args.id)
    if (!record) {
      throw new AgentgovError(`No trace record ${this.args.id}.`, {exit: ExitCode.input, hint: "Record ids are printed by 'agentgov traces list'; a hash prefix must match exactly one record."})
    }

    if (this.jsonEnabled()) return record
    await this.renderView('traces-detail', {record})
    return record
  }
}
