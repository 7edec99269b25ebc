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
