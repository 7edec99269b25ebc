import {createInterface} from 'node:readline/promises'

import {AgentgovError, ExitCode} from '../errors.js'
import type {ScanTarget} from './select.js'

/**
 * A scan runs other people's programs: the user says yes first, at a prompt in a terminal or with
 * --yes. Never implied, not even with --json.
 */
export async function consent(targets: readonly ScanTarget[], yes: boolean): Promise<boolean> {
  if (yes) return true
  const started = targets.filter((t) => !('skip' in t.launch) && t.launch.transport === 'stdio')
  const remote = targets.filter((t) => !('skip' in t.launch) && t.launch.transport !== 'stdio')
  if (started.length + remote.length === 0) return true
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new AgentgovError(`This scan starts ${started.length} MCP server(s) and connects to ${remote.length} remote one(s) as your clients would, and needs your consent: pass --yes.`, {
      exit: ExitCode.usage,
      hint: 'Run it in a terminal to be asked, or pass --yes (in CI, for example).',
    })
  }

  const lines = [
    `agentgov scan will start ${started.length} MCP server(s) and connect to ${remote.length} remote one(s), as your clients would, and only list what they offer (no tool is called):`,
    ...started.map((t) => `  ${t.name}: ${'skip' in t.launch || t.launch.transport !== 'stdio' ? '' : t.launch.command}`),
    ...remote.map((t) => `  ${t.name}: ${'skip' in t.launch || t.launch.transport === 'stdio' ? '' : new URL(t.launch.url).origin}`),
  ]
  const prompt = createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = await prompt.question(`${lines.join('\n')}\nGo on? [y/N] `)
    return /^y(?:es)?$/i.test(answer.trim())
  } finally {
    prompt.close()
  }
}
