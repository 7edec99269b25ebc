import {parseArgs} from 'node:util'

import {AgentgovError, ExitCode, errorMessage} from '../errors.js'
import {ensureStateDir} from '../state.js'
import {PROXY_FLAGS, type ProxyFlagValues, proxyOptions, stderrLog} from './cli.js'

/**
 * `agentgov proxy` runs on every MCP server launch, so bin/run.js sends it here without loading the
 * CLI framework (about 40 ms here). Anything unusual (help, a flag it does not know) returns false
 * and the full CLI handles it, with the same flags and messages.
 */
export async function fastStart(argv: string[]): Promise<boolean> {
  const separator = argv.indexOf('--')
  const before = separator === -1 ? argv : argv.slice(0, separator)
  if (before.some((arg) => arg === '--help' || arg === '-h' || arg === '--json')) return false
  let values: ProxyFlagValues
  try {
    const parsed = parseArgs({
      args: before,
      options: Object.fromEntries(Object.entries(PROXY_FLAGS).map(([name, spec]) => [name, {type: 'string' as const, multiple: 'multiple' in spec}])),
      allowPositionals: false,
      strict: true,
    })
    values = parsed.values as ProxyFlagValues
  } catch {
    return false
  }

  for (const [name, spec] of Object.entries(PROXY_FLAGS)) {
    const value = values[name as keyof ProxyFlagValues]
    if ('options' in spec && typeof value === 'string' && !(spec.options as readonly string[]).includes(value)) return false
  }

  const log = stderrLog(values.server)
  try {
    const stateDir = ensureStateDir()
    const options = proxyOptions(values, separator === -1 ? [] : argv.slice(separator + 1), stateDir, log)
    const {runProxy} = await import('./run.js')
    process.exitCode = await runProxy(options)
  } catch (error) {
    const known = error instanceof AgentgovError
    process.stderr.write(`agentgov: ${known ? error.message : `agentgov hit an unexpected error: ${errorMessage(error)}.`}\n`)
    if (known && error.hint) process.stderr.write(`  ${error.hint}\n`)
    process.exitCode = known ? error.exitCode : ExitCode.internal
  }

  return true
}
