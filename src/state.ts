import {mkdirSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

import {AgentgovError, ExitCode, errorMessage} from './errors.js'

/** agentgov's own state directory: `~/.agentgov`, or `AGENTGOV_HOME` (tests always set it). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.AGENTGOV_HOME
  if (override) return resolve(override)
  return join(env.HOME || env.USERPROFILE || homedir(), '.agentgov')
}

/** The state directory, created on first use with owner-only permissions (it will hold traces and approvals). */
export function ensureStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = stateDir(env)
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
  } catch (error) {
    throw new AgentgovError(`Cannot create agentgov's state directory ${dir}: ${errorMessage(error)}.`, {
      exit: ExitCode.state,
      hint: 'Set AGENTGOV_HOME to a writable directory.',
    })
  }
  return dir
}
