import {mkdirSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'

import {policyFile} from '../../src/state-layout.js'
import {BIN} from './tree.js'

const require = createRequire(import.meta.url)

/** Entry points of the real MCP servers used in tests (dev dependencies). */
export const SERVERS = {
  filesystem: require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'),
  everything: require.resolve('@modelcontextprotocol/server-everything/dist/index.js'),
} as const

export interface Connected {
  client: Client
  /** What the proxy (and the server) wrote to stderr so far. */
  stderr(): string
  close(): Promise<void>
}

export interface ConnectOptions {
  stateDir: string
  /** Policy YAML text; written to <stateDir>/policy.yaml. */
  policy: string
  server: keyof typeof SERVERS
  /** Another server's command line instead (a hostile server of test/helpers/hostile.ts). */
  command?: string[]
  serverArgs?: string[]
  serverName?: string
  agent?: string
  /** Declare the elicitation capability (the client can ask its user). */
  elicitation?: boolean
  env?: Record<string, string>
}

export function writePolicy(stateDir: string, policy: string): string {
  mkdirSync(stateDir, {recursive: true})
  const file = policyFile(stateDir)
  writeFileSync(file, policy)
  return file
}

/** A real SDK Client talking to a real server through `agentgov proxy`, launched as a client config would. */
export async function connectThroughProxy(options: ConnectOptions): Promise<Connected> {
  const policyFile = writePolicy(options.stateDir, options.policy)
  const args = [
    BIN,
    'proxy',
    '--agent',
    options.agent ?? 'test-agent',
    '--server',
    options.serverName ?? options.server,
    '--policy',
    policyFile,
    '--',
    ...(options.command ?? [process.execPath, SERVERS[options.server], ...(options.serverArgs ?? [])]),
  ]
  return connect(new StdioClientTransport({command: process.execPath, args, env: baseEnv(options), stderr: 'pipe'}), options)
}

/** The same server without the proxy, for comparing answers. */
export async function connectDirect(options: Pick<ConnectOptions, 'server' | 'serverArgs' | 'stateDir'>): Promise<Connected> {
  const transport = new StdioClientTransport({command: process.execPath, args: [SERVERS[options.server], ...(options.serverArgs ?? [])], env: baseEnv(options), stderr: 'pipe'})
  return connect(transport, {})
}

function baseEnv(options: Pick<ConnectOptions, 'env' | 'stateDir'>): Record<string, string> {
  return {PATH: process.env.PATH ?? '', HOME: options.stateDir, AGENTGOV_HOME: options.stateDir, OTEL_SDK_DISABLED: 'true', ...options.env}
}

async function connect(transport: StdioClientTransport, options: {elicitation?: boolean}): Promise<Connected> {
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const client = new Client({name: 'agentgov-e2e', version: '1.0.0'}, {capabilities: options.elicitation ? {elicitation: {}} : {}})
  await client.connect(transport)
  return {
    client,
    stderr: () => stderr,
    close: () => client.close(),
  }
}
