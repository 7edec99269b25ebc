import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

/**
 * The absolute path of this package's bin/run.js: found by walking up from this module (dist/src/wrap
 * when built, src/wrap under the test runner) to the package.json named agentgov.
 */
export function agentgovEntry(from: string = import.meta.dirname): string {
  let dir = from
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'agentgov') return join(dir, 'bin', 'run.js')
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`cannot find agentgov's package.json above ${from}`)
    dir = parent
  }
}

export interface LaunchOptions {
  agent: string
  server: string
  policy?: string
  /** Absolute node binary and bin/run.js; default: the ones running now. */
  node?: string
  entry?: string
}

/**
 * `<node> <agentgov>/bin/run.js proxy --agent A --server S [--policy P] <tail…>` (docs/proxy-cli.md).
 * Both paths are absolute so a client that spawns with a minimal PATH (a GUI app started from the
 * dock, a service) still finds node and agentgov; `tail` is `-- <command> <args…>` or the upstream
 * options.
 */
export function proxyArgv(options: LaunchOptions, tail: string[]): string[] {
  const head = [options.node ?? process.execPath, options.entry ?? agentgovEntry(), 'proxy', '--agent', options.agent, '--server', options.server]
  if (options.policy) head.push('--policy', options.policy)
  return [...head, ...tail]
}
