import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

import {CLIENTS} from './clients/index.js'
import {AgentgovError, ExitCode} from './errors.js'
import {executableName} from './discovery/packages.js'

/**
 * Approvals, grants and the kill switch are a person's acts. The proxy offers an agent no route to
 * them; this closes the other one, an agent with a shell tool running the command itself: refuse
 * unless attached to a terminal and started by no known agent client.
 */
export function assertHuman(act: string): void {
  if (!process.stdin.isTTY) {
    throw new AgentgovError(`${act} must be run by a person at a terminal, and this process has no terminal.`, {
      exit: ExitCode.usage,
      hint: 'Run it in your own terminal (not through an agent or a pipe).',
    })
  }

  const agent = agentAncestor()
  if (agent) {
    throw new AgentgovError(`${act} was started by ${agent.name} (pid ${agent.pid}); an agent cannot approve, grant or revive its own calls.`, {
      exit: ExitCode.usage,
      hint: 'Run it in a terminal of your own, outside the agent.',
    })
  }
}

const CLIENT_NAMES = new Map(CLIENTS.flatMap((client) => (client.processNames ?? []).filter((name) => !name.includes('/')).map((name) => [name, client.name] as const)))
const INTERPRETERS = new Set(['node', 'bun', 'deno', 'python', 'python3'])

/** The nearest ancestor process that is a known agent client, if any. */
export function agentAncestor(startPid = process.ppid): {pid: number; name: string} | undefined {
  let pid = startPid
  for (let depth = 0; depth < 64 && pid > 1; depth++) {
    const parent = processInfo(pid)
    if (!parent) return undefined
    const names = [parent.argv[0], INTERPRETERS.has(executableName(parent.argv[0] ?? '')) ? parent.argv[1] : undefined]
    for (const name of names) {
      const client = name ? CLIENT_NAMES.get(executableName(name)) ?? CLIENT_NAMES.get(name.split(/[\\/]/).pop() ?? '') : undefined
      if (client) return {pid, name: client}
    }

    pid = parent.ppid
  }

  return undefined
}

function processInfo(pid: number): {argv: string[]; ppid: number} | undefined {
  try {
    if (process.platform === 'linux') {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      return {argv, ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])}
    }

    if (process.platform === 'darwin') {
      const line = execFileSync('ps', ['-o', 'ppid=,command=', '-p', String(pid)], {encoding: 'utf8', timeout: 1000}).trim()
      const match = /^(\d+)\s+(.*)$/.exec(line)
      return match ? {ppid: Number(match[1]), argv: match[2].split(/\s+/)} : undefined
    }
  } catch {
    return undefined
  }

  return undefined
}
