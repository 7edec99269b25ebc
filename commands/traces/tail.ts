import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {exitCodesHelp} from '../../src/errors.js'
import {stateDir} from '../../src/state.js'
import {filterFlags} from '../../src/telemetry/flags.js'
import {formatLine, matches, StoreFollower} from '../../src/telemetry/query.js'
import {tracesDir} from '../../src/telemetry/store/segments.js'
import type {StoredRecord} from '../../src/telemetry/types.js'
import {shown} from '../../src/ui/text.js'

export default class TracesTail extends BaseCommand<typeof TracesTail> {
  static override summary = 'Follow decisions live as every proxy records them.'
  static override description = [
    'Prints the last --lines records, then each new one as any proxy on this machine appends it. In a terminal it is a live view; piped or under CI it prints one line per record, and with --json one JSON record per line.',
    exitCodesHelp({0: 'done (Ctrl-C, or after the backlog with --no-follow)', 2: 'usage error'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Watch everything', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Watch denials of one agent', command: '<%= config.bin %> <%= command.id %> --agent cursor --action deny'},
    {description: 'Stream records as JSON lines into another tool', command: '<%= config.bin %> <%= command.id %> --json | jq .reason'},
  ]

  static override flags = {
    ...filterFlags,
    lines: Flags.integer({char: 'n', description: 'Records of backlog to show first.', default: 10, min: 0}),
    follow: Flags.boolean({description: 'Keep following (--no-follow: print the backlog and exit).', default: true, allowNo: true}),
    interval: Flags.integer({description: 'Poll interval in ms.', default: 250, min: 10, hidden: true}),
  }

  public async run(): Promise<void> {
    const follower = new StoreFollower(tracesDir(stateDir()))
    const pick = (records: StoredRecord[]) => records.filter((r) => matches(r, this.flags))
    const backlog = this.flags.lines > 0 ? pick(follower.start()).slice(-this.flags.lines) : (follower.start(), [])
    const plain = this.jsonEnabled() || !process.stdout.isTTY || Boolean(process.env.CI)
    if (plain) {
      // --json streams one record per line (NDJSON) rather than one document at the end: tail never ends.
      const print = (records: StoredRecord[]) => {
        for (const r of records) process.stdout.write((this.jsonEnabled() ? JSON.stringify(r) : shown(formatLine(r))) + '\n')
      }

      print(backlog)
      if (!this.flags.follow) return
      await this.poll(follower, (records) => print(pick(records)))
      return
    }

    if (!this.flags.follow) {
      await this.renderView('traces-tail', {initial: backlog, subscribe: () => () => {}, dir: follower.dir})
      return
    }

    const subscribe = (push: (records: StoredRecord[]) => void) => {
      const timer = setInterval(() => {
        const fresh = pick(follower.poll())
        if (fresh.length > 0) push(fresh)
      }, this.flags.interval)
      return () => clearInterval(timer)
    }

    await this.renderLiveView('traces-tail', {initial: backlog, subscribe, dir: follower.dir})
  }

  private poll(follower: StoreFollower, onRecords: (records: StoredRecord[]) => void): Promise<void> {
    return new Promise((resolve) => {
      const timer = setInterval(() => onRecords(follower.poll()), this.flags.interval)
      const stop = () => {
        clearInterval(timer)
        resolve()
      }

      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
  }
}
