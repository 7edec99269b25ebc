import {BaseCommand} from '../../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../../src/errors.js'
import {stateDir} from '../../src/state.js'
import {verifyStore, type VerifyResult} from '../../src/telemetry/store/scan.js'
import {tracesDir} from '../../src/telemetry/store/segments.js'

export default class TracesVerify extends BaseCommand<typeof TracesVerify> {
  static override summary = 'Check that no trace record was edited, deleted, reordered, inserted or truncated.'
  static override description = [
    'Recomputes every record hash from the bytes on disk and follows each chain: records within a segment, and segments through the index (open, checkpoints, seal, prune). The first break in each segment is named by record id and line, and so is whatever lies past a segment\'s seal (records appended later, or a torn line a failed write left).',
    'A chain without a secret key detects quiet edits; it cannot stop someone who rewrites and re-hashes the whole store and its index. Copy the index elsewhere (or export to an OTLP backend) for that.',
    exitCodesHelp({0: 'intact', 1: 'a chain is broken', 2: 'usage error'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Verify the local store', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'In CI or a cron job', command: '<%= config.bin %> <%= command.id %> --json || alert "trace store tampered"'},
  ]

  public async run(): Promise<VerifyResult> {
    const dir = tracesDir(stateDir())
    const result = verifyStore(dir)
    if (!result.ok) process.exitCode = ExitCode.checkFailed
    if (this.jsonEnabled()) return result
    for (const note of result.notes) this.diag(note)
    if (result.ok) {
      process.stdout.write(`Trace store intact: ${result.records} record(s) in ${result.segments} segment(s) (${dir}).\n`)
      return result
    }

    process.stdout.write(`Trace store BROKEN: ${result.problems.length} problem(s) in ${dir}\n`)
    for (const p of result.problems) process.stdout.write(`  ${p.record ?? p.segment}: ${p.message}\n`)
    return result
  }
}
