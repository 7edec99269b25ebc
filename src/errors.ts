import {existsSync} from 'node:fs'

/**
 * One error type for every command. The exit code is part of the CLI's contract (README: "Exit codes"),
 * so commands throw an AgentgovError with a code from this table instead of calling process.exit.
 */
export const ExitCode = {
  ok: 0,
  /** A check the user asked for failed: findings at or above --fail-on, a broken trace chain. */
  checkFailed: 1,
  /** The command line itself is wrong: unknown flag, bad flag value, missing argument. */
  usage: 2,
  /** A file or directory the user named cannot be read or is not valid. */
  input: 3,
  /** agentgov's own state directory cannot be read, written or locked. */
  state: 4,
  /** A file changed under agentgov between its read and its write (a client or a person saved it): nothing was written. */
  conflict: 5,
  /** A bug in agentgov: an error nobody anticipated. */
  internal: 70,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export class AgentgovError extends Error {
  readonly exitCode: ExitCodeValue
  /** What the user can do about it; printed after the message. */
  readonly hint?: string

  constructor(message: string, options: {exit: ExitCodeValue; hint?: string; cause?: unknown}) {
    super(message, {cause: options.cause})
    this.name = 'AgentgovError'
    this.exitCode = options.exit
    this.hint = options.hint
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** What each exit code means when a command adds nothing of its own (the README's table, shortened). */
const MEANING: Record<ExitCodeValue, string> = {
  [ExitCode.ok]: 'done',
  [ExitCode.checkFailed]: 'a check you asked for failed',
  [ExitCode.usage]: 'usage error: unknown flag, bad flag value, missing argument',
  [ExitCode.input]: 'a file or directory you named cannot be read or is not valid',
  [ExitCode.state]: "agentgov's state directory cannot be read, written or locked",
  [ExitCode.conflict]: 'a file changed while agentgov edited it (nothing was written)',
  [ExitCode.internal]: 'a bug in agentgov (DEBUG=agentgov prints the stack)',
}

/**
 * The "Exit codes" section of a command's help: the codes it can end with (0, 2 and 70 always), in
 * its own words where it gives them (`true`: the usual meaning).
 */
export function exitCodesHelp(specific: Partial<Record<ExitCodeValue, string | true>>): string {
  const codes = [...new Set([ExitCode.ok, ExitCode.usage, ...(Object.keys(specific).map(Number) as ExitCodeValue[]), ExitCode.internal])].sort((a, b) => a - b)
  return ['Exit codes:', ...codes.map((code) => `  ${String(code).padEnd(3)} ${typeof specific[code] === 'string' ? specific[code] : MEANING[code]}`)].join('\n')
}

/** A file or directory the user named must exist: otherwise exit 3 with one sentence, whatever the command. */
export function mustExist(path: string, what: string): string {
  if (!existsSync(path)) throw new AgentgovError(`${what} ${path} does not exist.`, {exit: ExitCode.input, hint: 'Check the path and run again.'})
  return path
}
