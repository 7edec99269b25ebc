import {basename} from 'node:path'

/** What an `agentgov proxy …` launch says about itself. */
export interface GovernedLaunch {
  agent?: string
  server?: string
  policy?: string
  upstreamUrl?: string
  /** The original server command line after `--`. */
  inner: string[]
  /** What starts agentgov: the tokens before `proxy` (`/usr/bin/node /…/bin/run.js`, `npx -y agentgov@1.2.3`). */
  launcher: string[]
  /** Everything after `proxy`, as written. */
  rest: string[]
}

const CLI_NAMES = new Set(['agentgov', 'agentgov.cmd', 'agentgov.exe', 'agentgov.ps1'])

/**
 * Recognise a launch that goes through agentgov's proxy, whichever way `wrap` (or a person) wrote
 * it: `agentgov proxy …`, `node /…/agentgov/bin/run.js proxy …`, `npx [-y] agentgov[@v] proxy …`.
 */
export function parseGovernedLaunch(command: string | undefined, args: readonly string[] = []): GovernedLaunch | undefined {
  if (!command) return undefined
  const argv = [command, ...args]
  const proxyAt = findProxyVerb(argv)
  if (proxyAt === -1) return undefined

  const rest = argv.slice(proxyAt + 1)
  const separator = rest.indexOf('--')
  const options = separator === -1 ? rest : rest.slice(0, separator)
  const launch: GovernedLaunch = {inner: separator === -1 ? [] : rest.slice(separator + 1), launcher: argv.slice(0, proxyAt), rest}
  for (let i = 0; i < options.length; i++) {
    const [flag, inline] = options[i].split(/=(.*)/s, 2)
    const value = inline ?? options[i + 1]
    const take = (): string | undefined => {
      if (inline === undefined) i++
      return value
    }

    if (flag === '--agent') launch.agent = take()
    else if (flag === '--server') launch.server = take()
    else if (flag === '--policy') launch.policy = take()
    else if (flag === '--upstream-url') launch.upstreamUrl = take()
  }

  return launch
}

function findProxyVerb(argv: string[]): number {
  for (let i = 0; i < Math.min(argv.length - 1, 6); i++) {
    if (argv[i + 1] !== 'proxy') continue
    if (isAgentgovCli(argv[i]) || (isCheckoutEntry(argv[i]) && hasProxyContract(argv.slice(i + 2)))) return i + 1
  }

  return -1
}

/**
 * `wrap` writes the absolute path of the package's bin/run.js, and a source checkout need not sit in a
 * folder named agentgov: any `…/bin/run.js proxy` whose options carry the proxy contract's `--server`
 * (docs/proxy-cli.md) is agentgov's, whichever checkout or older install wrote it.
 */
function isCheckoutEntry(token: string): boolean {
  return /(^|\/)bin\/run\.js$/i.test(token.replaceAll('\\', '/'))
}

function hasProxyContract(rest: string[]): boolean {
  const end = rest.indexOf('--')
  const options = end === -1 ? rest : rest.slice(0, end)
  return options.some((option) => option === '--server' || option.startsWith('--server=')) && (end !== -1 || options.some((o) => o.startsWith('--upstream-url')))
}

function isAgentgovCli(token: string): boolean {
  const name = basename(token.replaceAll('\\', '/')).toLowerCase()
  if (CLI_NAMES.has(name) || /^agentgov@[\w.-]+$/.test(name)) return true
  // node /path/to/agentgov/bin/run.js: the package's own entry point.
  return /(^|\/)agentgov\/bin\/(run|dev)\.js$/i.test(token.replaceAll('\\', '/'))
}
