import {AgentgovError, ExitCode} from '../errors.js'
import {shown} from '../shown.js'
import {policyFile, tokensFile} from '../state-layout.js'
import {parseHeaderFlags} from '../telemetry/config.js'
import type {ProxyRunOptions} from './run.js'

/**
 * The proxy's flags, as data: the oclif command (help, docs) and the fast start below read the same
 * table, so the two can never accept different command lines.
 */
export const PROXY_FLAGS = {
  agent: {description: 'Identity every decision is made and recorded for (with --listen, the token decides).'},
  server: {description: 'Name of the MCP server (as in the client config).', required: true},
  policy: {description: 'Policy file (default: ~/.agentgov/policy.yaml).'},
  'upstream-url': {description: 'A remote MCP server to reach over streamable HTTP (falls back to SSE).'},
  header: {description: 'A header for the remote server, K=V (repeatable).', multiple: true},
  transport: {description: 'Remote transport.', options: ['auto', 'http', 'sse'], default: 'auto'},
  listen: {description: 'Serve a streamable-HTTP face at HOST:PORT (loopback by default) instead of stdio.'},
  tokens: {description: 'Agent token file for --listen (default: ~/.agentgov/tokens.json; see agentgov tokens).'},
  'otlp-endpoint': {description: 'OTLP/HTTP endpoint for spans and metrics (default: OTEL_EXPORTER_OTLP_ENDPOINT).'},
  'otlp-header': {description: 'A header for the OTLP endpoint, name=value, value percent-encoded (repeatable; adds to OTEL_EXPORTER_OTLP_HEADERS).', multiple: true},
} as const satisfies Record<string, {description: string; required?: boolean; multiple?: boolean; options?: readonly string[]; default?: string}>

export type ProxyFlagValues = {
  [K in keyof typeof PROXY_FLAGS]?: (typeof PROXY_FLAGS)[K] extends {multiple: true} ? string[] : string
}

/**
 * The proxy's stderr log: a line names the server and its message. A message quotes what a server or
 * an agent chose (tool names, reasons, URIs), and stderr is the user's terminal, so every control
 * character is shown escaped: an ESC cannot erase the line, fake an "allow" or write the clipboard.
 */
export function stderrLog(server: string | undefined): (message: string) => void {
  return (message) => process.stderr.write(`agentgov proxy [${shown(server ?? '?')}]: ${shown(message)}\n`)
}

/** Check a parsed command line and turn it into what runProxy takes. */
export function proxyOptions(flags: ProxyFlagValues, command: string[], stateDir: string, log: (message: string) => void): ProxyRunOptions {
  if (flags['upstream-url'] && command.length > 0) {
    throw new AgentgovError('Give either a server command after -- or --upstream-url, not both.', {exit: ExitCode.usage})
  }

  const listen = flags.listen ? parseListen(flags.listen) : undefined
  if (!listen && !flags.agent) {
    throw new AgentgovError('Missing --agent: every decision is made for an agent identity.', {exit: ExitCode.usage, hint: 'Pass --agent NAME (wrap writes the client id).'})
  }

  if (!flags.server) throw new AgentgovError('Missing --server: the name of the MCP server.', {exit: ExitCode.usage})
  return {
    agent: flags.agent ?? '',
    server: flags.server,
    listen,
    tokensFile: flags.tokens ?? tokensFile(stateDir),
    policyFile: flags.policy ?? policyFile(stateDir),
    stateDir,
    command,
    upstreamUrl: flags['upstream-url'],
    headers: pairs(flags.header, '--header'),
    upstreamTransport: (flags.transport ?? 'auto') as 'auto' | 'http' | 'sse',
    otlpEndpoint: flags['otlp-endpoint'],
    otlpHeaders: otlpHeaders(flags['otlp-header']),
    log,
  }
}

function parseListen(value: string): {host: string; port: number} {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value) ?? /^()()(\d{1,5})$/.exec(value)
  const port = Number(match?.[3])
  if (!match || port > 65_535) {
    throw new AgentgovError(`--listen ${value} is not HOST:PORT.`, {exit: ExitCode.usage, hint: 'For example --listen 127.0.0.1:8765 (port 0 picks a free one).'})
  }

  return {host: match[1] || match[2] || '127.0.0.1', port}
}

/** Decoded as `traces export` decodes them, so one header reads the same in both commands. */
function otlpHeaders(values: string[] | undefined): Record<string, string> | undefined {
  try {
    return parseHeaderFlags(values)
  } catch (error) {
    throw new AgentgovError(`${(error as Error).message}.`, {exit: ExitCode.usage, hint: 'Example: --otlp-header authorization=Bearer%20xyz'})
  }
}

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values ?? []) {
    const at = value.indexOf('=')
    if (at <= 0) throw new AgentgovError(`${flag} ${value} is not K=V.`, {exit: ExitCode.usage, hint: `Write ${flag} "Name=value".`})
    out[value.slice(0, at).trim()] = value.slice(at + 1)
  }

  return out
}
