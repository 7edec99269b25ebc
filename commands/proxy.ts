import {join} from 'node:path'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../src/base-command.js'
import {AgentgovError, ExitCode} from '../src/errors.js'
import {ensureStateDir} from '../src/state.js'

export default class Proxy extends BaseCommand<typeof Proxy> {
  static override summary = 'Govern one MCP server: decide every call against the policy, record it, forward what is allowed.'
  static override description = [
    'Speaks MCP over stdio to the agent and runs the real server after -- (or reaches a remote one with --upstream-url). Every tools/call, resources/read and prompts/get is decided before it reaches the server; denied tools are hidden from tools/list; tool definitions are pinned; results are scanned and secrets redacted. Nothing but MCP is written to stdout; diagnostics go to stderr.',
    'This is what `agentgov wrap` writes into client configs. The proxy refuses to start when the policy does not load (fail closed).',
  ].join('\n\n')

  static override examples = [
    {
      description: 'Govern the filesystem server for Cursor',
      command: '<%= config.bin %> <%= command.id %> --agent cursor --server filesystem -- npx -y @modelcontextprotocol/server-filesystem@2026.8.31 ~/src',
    },
    {
      description: 'An HTTP face for agents that speak streamable HTTP (each authenticates with its own token)',
      command: '<%= config.bin %> <%= command.id %> --server everything --listen 127.0.0.1:8765 -- npx -y @modelcontextprotocol/server-everything@2026.8.31',
    },
    {
      description: 'A remote server behind a stdio face',
      command: '<%= config.bin %> <%= command.id %> --agent vscode --server linear --upstream-url https://mcp.linear.app/mcp --header "Authorization=Bearer ${LINEAR_TOKEN}"',
    },
  ]

  static override strict = false
  static override enableJsonFlag = false
  static override flags = {
    agent: Flags.string({description: 'Identity every decision is made and recorded for (with --listen, the token decides).'}),
    server: Flags.string({description: 'Name of the MCP server (as in the client config).', required: true}),
    policy: Flags.string({description: 'Policy file (default: ~/.agentgov/policy.yaml).'}),
    'upstream-url': Flags.string({description: 'A remote MCP server to reach over streamable HTTP (falls back to SSE).'}),
    header: Flags.string({description: 'A header for the remote server, K=V (repeatable).', multiple: true}),
    transport: Flags.string({description: 'Remote transport.', options: ['auto', 'http', 'sse'], default: 'auto'}),
    listen: Flags.string({description: 'Serve a streamable-HTTP face at HOST:PORT (loopback by default) instead of stdio.'}),
    tokens: Flags.string({description: 'Agent token file for --listen (default: ~/.agentgov/tokens.json; see agentgov tokens).'}),
    'otlp-endpoint': Flags.string({description: 'OTLP/HTTP endpoint for spans and metrics (default: OTEL_EXPORTER_OTLP_ENDPOINT).'}),
    'otlp-header': Flags.string({description: 'A header for the OTLP endpoint, K=V (repeatable).', multiple: true}),
  }

  public async run(): Promise<void> {
    const stateDir = ensureStateDir()
    const {runProxy} = await import('../src/proxy/run.js')
    const command = this.positional
    if (this.flags['upstream-url'] && command.length > 0) {
      throw new AgentgovError('Give either a server command after -- or --upstream-url, not both.', {exit: ExitCode.usage})
    }

    const listen = this.flags.listen ? parseListen(this.flags.listen) : undefined
    if (!listen && !this.flags.agent) {
      throw new AgentgovError('Missing --agent: every decision is made for an agent identity.', {exit: ExitCode.usage, hint: 'Pass --agent NAME (wrap writes the client id).'})
    }

    process.exitCode = await runProxy({
      agent: this.flags.agent ?? '',
      listen,
      tokensFile: this.flags.tokens ?? join(stateDir, 'tokens.json'),
      server: this.flags.server,
      policyFile: this.flags.policy ?? join(stateDir, 'policy.yaml'),
      stateDir,
      command,
      upstreamUrl: this.flags['upstream-url'],
      headers: pairs(this.flags.header, '--header'),
      upstreamTransport: this.flags.transport as 'auto' | 'http' | 'sse',
      otlpEndpoint: this.flags['otlp-endpoint'],
      otlpHeaders: pairs(this.flags['otlp-header'], '--otlp-header'),
      log: (message) => process.stderr.write(`agentgov proxy [${this.flags.server}]: ${message}\n`),
    })
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

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values ?? []) {
    const at = value.indexOf('=')
    if (at <= 0) throw new AgentgovError(`${flag} ${value} is not K=V.`, {exit: ExitCode.usage, hint: `Write ${flag} "Name=value".`})
    out[value.slice(0, at).trim()] = value.slice(at + 1)
  }

  return out
}
