import {Flags} from '@oclif/core'

import {BaseCommand} from '../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../src/errors.js'
import {PROXY_FLAGS, type ProxyFlagValues, proxyOptions, stderrLog} from '../src/proxy/cli.js'
import {ensureStateDir} from '../src/state.js'

export default class Proxy extends BaseCommand<typeof Proxy> {
  static override summary = 'Govern one MCP server: decide every call against the policy, record it, forward what is allowed.'
  static override description = [
    'Speaks MCP over stdio to the agent and runs the real server after -- (or reaches a remote one with --upstream-url). Every tools/call, resources/read and prompts/get is decided before it reaches the server; denied tools are hidden from tools/list; tool definitions are pinned; results are scanned and secrets redacted. Nothing but MCP is written to stdout; diagnostics go to stderr.',
    'This is what `agentgov wrap` writes into client configs. The proxy refuses to start when the policy does not load (fail closed).',
    exitCodesHelp({3: 'the policy or another file it names cannot be read or is invalid (the proxy refuses to start)', [ExitCode.state]: true}),
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
  static override flags = Object.fromEntries(
    Object.entries(PROXY_FLAGS).map(([name, spec]) => [name, 'multiple' in spec ? Flags.string({...spec, multiple: true}) : Flags.string(spec)]),
  ) as {[K in keyof typeof PROXY_FLAGS]: ReturnType<typeof Flags.string>}

  public async run(): Promise<void> {
    const stateDir = ensureStateDir()
    const log = stderrLog((this.flags as ProxyFlagValues).server)
    const options = proxyOptions(this.flags as ProxyFlagValues, this.positional, stateDir, log)
    const {runProxy} = await import('../src/proxy/run.js')
    process.exitCode = await runProxy(options)
  }
}
