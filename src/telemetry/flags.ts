import {Flags} from '@oclif/core'

import {AgentgovError, ExitCode} from '../errors.js'
import {parseTime} from './query.js'

/** Flags shared by the `traces` commands. */
export const filterFlags = {
  agent: Flags.string({description: 'Only records of this agent.'}),
  tool: Flags.string({description: 'Only this tool (`tool` or `server.tool`).'}),
  action: Flags.string({description: 'Only this action.', options: ['allow', 'audit', 'deny', 'human_approval']}),
}

export const windowFlags = {
  since: Flags.string({description: 'Start of the window: a duration ago (30m, 24h, 7d) or an ISO date.'}),
  until: Flags.string({description: 'End of the window (exclusive), same forms as --since.'}),
}

export function timeFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const time = parseTime(value)
  if (time === undefined) throw new AgentgovError(`--${name} ${value} is not a duration (30m, 24h, 7d) or a date.`, {exit: ExitCode.usage, hint: 'Example: --since 7d or --since 2026-01-31.'})
  return time
}
