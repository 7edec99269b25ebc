import {AgentgovError, ExitCode, errorMessage} from '../errors.js'
import type {Telemetry} from '../telemetry/types.js'
import {createApproval, waitForAnswer} from '../approvals/store.js'
import {PinStore} from './pins.js'
import {createPolicyPort} from './policy-port.js'
import {ProxySession} from './session.js'
import {ChildProcessTransport, LineTransport, type Transport} from './transport.js'

export interface ProxyRunOptions {
  agent: string
  server: string
  policyFile: string
  stateDir: string
  /** The real server's command line (stdio upstream). */
  command?: string[]
  /** A remote server (streamable HTTP, falling back to SSE). */
  upstreamUrl?: string
  headers?: Record<string, string>
  upstreamTransport?: 'auto' | 'http' | 'sse'
  otlpEndpoint?: string
  otlpHeaders?: Record<string, string>
  /** Diagnostics go to stderr: stdout carries MCP only. */
  log(message: string): void
}

/** Run one proxy until the client or the server goes; resolves with the exit code to use. */
export async function runProxy(options: ProxyRunOptions): Promise<number> {
  const {agent, server, stateDir, log} = options
  // A policy that does not load means no proxy: starting without one would forward undecided calls.
  const policy = createPolicyPort(options.policyFile, stateDir, log)
  const telemetry = await startTelemetry(options)
  const upstream = await upstreamTransport(options)
  const client = new LineTransport(process.stdin, process.stdout)
  const session = new ProxySession({
    agent,
    server,
    client,
    upstream,
    policy,
    pins: new PinStore(stateDir, server),
    telemetry,
    transport: 'pipe',
    log,
    async askCli(question, signal) {
      const approval = createApproval(stateDir, question)
      log(`call ${server}.${question.tool} waits for approval: run 'agentgov approve ${approval.id}' or 'agentgov deny ${approval.id}' (or 'agentgov approvals')`)
      return waitForAnswer(stateDir, approval, signal)
    },
  })

  const exited = new Promise<number>((resolve) => {
    session.onclose = (code) => resolve(code ?? 0)
  })
  const forward = (signal: NodeJS.Signals) => {
    if (upstream instanceof ChildProcessTransport) upstream.kill(signal)
    void session.close(null, `received ${signal}`)
  }

  process.once('SIGINT', forward)
  process.once('SIGTERM', forward)
  try {
    await session.start()
  } catch (error) {
    policy.close()
    await telemetry?.shutdown()
    throw new AgentgovError(`Cannot start MCP server "${server}": ${errorMessage(error)}.`, {
      exit: ExitCode.input,
      hint: 'Check the command after -- (is it installed and on PATH?).',
    })
  }

  const code = await exited
  policy.close()
  await telemetry?.shutdown()
  return code
}

async function upstreamTransport(options: ProxyRunOptions): Promise<Transport> {
  if (options.upstreamUrl) {
    const {HttpUpstreamTransport} = await import('./http-upstream.js')
    return new HttpUpstreamTransport(options.upstreamUrl, {headers: options.headers ?? {}, mode: options.upstreamTransport ?? 'auto', log: options.log})
  }

  const [command, ...args] = options.command ?? []
  if (!command) {
    throw new AgentgovError('No MCP server to proxy.', {exit: ExitCode.usage, hint: 'Give the server command after --, or --upstream-url URL.'})
  }

  return new ChildProcessTransport(command, args)
}

/** The trace store is the audit trail: if it cannot be opened the proxy does not start. */
async function startTelemetry(options: ProxyRunOptions): Promise<Telemetry> {
  const {createTelemetry} = await import('../telemetry/index.js')
  try {
    return await createTelemetry({
      stateDir: options.stateDir,
      otlpEndpoint: options.otlpEndpoint,
      otlpHeaders: options.otlpHeaders,
      warn: options.log,
    })
  } catch (error) {
    throw new AgentgovError(`Cannot open the trace store in ${options.stateDir}: ${errorMessage(error)}.`, {
      exit: ExitCode.state,
      hint: 'Set AGENTGOV_HOME to a writable directory.',
    })
  }
}
