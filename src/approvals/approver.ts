import {hostname, userInfo} from 'node:os'

/** Who answered, as recorded in traces: the OS account at the terminal. */
export function approverName(): string {
  let user = process.env.USER ?? process.env.USERNAME ?? 'unknown'
  try {
    user = userInfo().username
  } catch {
    // No passwd entry (containers): the environment's name will do.
  }

  return `${user}@${hostname()} (cli)`
}
