import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {exitCodesHelp} from '../../src/errors.js'
import {stateDir} from '../../src/state.js'
import {DEFAULT_RETENTION_DAYS} from '../../src/telemetry/retention.js'
import {pruneStore, type PruneResult} from '../../src/telemetry/store/prune.js'
import {tracesDir} from '../../src/telemetry/store/segments.js'

export default class TracesPrune extends BaseCommand<typeof TracesPrune> {
  static override summary = 'Remove trace segments older than the retention period.'
  static override description = [
    `Removes whole segments whose newest record is older than --older-than days (default: AGENTGOV_TRACE_RETENTION_DAYS, else ${DEFAULT_RETENTION_DAYS}, the six months the EU AI Act asks for). Each removal is recorded in the index with the segment's last hash, so 'traces verify' still passes on what remains.`,
    exitCodesHelp({0: 'done', 2: 'usage error'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Apply the default retention', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'See what a 30-day retention would remove', command: '<%= config.bin %> <%= command.id %> --older-than 30 --dry-run'},
  ]

  static override flags = {
    'older-than': Flags.integer({description: 'Retention in days.', min: 1}),
    'dry-run': Flags.boolean({description: 'Only say what would be removed.', default: false}),
  }

  public async run(): Promise<PruneResult> {
    const days = this.flags['older-than'] ?? retentionFromEnv()
    const result = pruneStore(tracesDir(stateDir()), {olderThanDays: days, dryRun: this.flags['dry-run']})
    if (this.jsonEnabled()) return result
    const records = result.removed.reduce((n, r) => n + r.records, 0)
    const verb = this.flags['dry-run'] ? 'Would remove' : 'Removed'
    process.stdout.write(`${verb} ${result.removed.length} segment(s), ${records} record(s) older than ${days} days; kept ${result.kept}.\n`)
    return result
  }
}

function retentionFromEnv(): number {
  const days = Number(process.env.AGENTGOV_TRACE_RETENTION_DAYS)
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS
}
