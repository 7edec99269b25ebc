import {accessSync, constants, mkdirSync} from 'node:fs'

import {AgentgovError, ExitCode, errorMessage} from '../errors.js'
import type {Telemetry} from '../telemetry/types.js'
import {createApproval, waitForAnswer} from '../approvals/store.js'
import {PinStore} from './pins.js'
import type {ProxySession} from './session.js'
import {createPolicyPort} from './policy-port.js'
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
  /** Serve a streamable-HTTP face instead of stdio; agents authenticate with tokens from tokensFile. */
  listen?: {host: string; port: number}
  tokensFile?: string
  /** Diagnostics go to stderr: stdout carries MCP only. */
  log(message: string): void
}

/** Run one proxy until the client or the server goes; resolves with the exit code to use. */
export async function runProxy(options: ProxyRunOptions): Promise<number> {
  const {server, stateDir, log} = options
  // The server boots while the policy compiles and the trace store opens: its start-up is most of a
  // cold start. Nothing reaches it until the session is ready, and it is stopped if the policy fails.
  const early = options.listen || options.upstreamUrl ? undefined : await upstreamTransport(options)
  const starting = early?.start().catch((error: Error) => error)
  // The session and its detector load while the server boots, not before it is spawned.
  const sessionModule = import('./session.js')
  sessionModule.catch(() => undefined)
  let policy: ReturnType<typeof createPolicyPort>
  let telemetry: Telemetry
  try {
    // A policy that does not load means no proxy: starting without one would forward undecided calls.
    policy = createPolicyPort(options.policyFile, stateDir, log)
    telemetry = await startTelemetry(options)
  } catch (error) {
    await starting
    await early?.close()
    throw error
  }

  const {ProxySession} = await sessionModule

  const sessionFor = (agent: string, client: Transport, upstream: Transport, transport: 'pipe' | 'tcp') =>
    new ProxySession({
      agent,
      server,
      client,
      upstream,
      policy,
      pins: new PinStore(stateDir, server),
      telemetry,
      transport,
      log,
      async askCli(question, signal) {
        const approval = createApproval(stateDir, question)
        log(`call ${server}.${question.tool} waits for approval: run 'agentgov approve ${approval.id}' or 'agentgov deny ${approval.id}' (or 'agentgov approvals')`)
        return waitForAnswer(stateDir, approval, signal)
      },
    })

  const shutdown = async () => {
    policy.close()
    await telemetry.shutdown()
  }

  if (options.listen) {
    return serveUntilSignalled(options, sessionFor, shutdown)
  }

  const upstream = early ?? (await upstreamTransport(options))
  const session = sessionFor(options.agent, new LineTransport(process.stdin, process.stdout), upstream, 'pipe')
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
    await shutdown()
    throw new AgentgovError(`Cannot start MCP server "${server}": ${errorMessage(error)}.`, {
      exit: ExitCode.input,
      hint: 'Check the command after -- (is it installed and on PATH?).',
    })
  }

  const code = await exited
  await shutdown()
  // Our stdin keeps the event loop alive after the server is gone; stop reading so the process ends.
  process.stdin.destroy()
  return code
}

/** The HTTP face: one governed session (and one upstream) per authenticated agent session. */
async function serveUntilSignalled(
  options: ProxyRunOptions,
  sessionFor: (agent: string, client: Transport, upstream: Transport, transport: 'pipe' | 'tcp') => ProxySession,
  shutdown: () => Promise<void>,
): Promise<number> {
  const {serveHttpFace} = await import('./http-face.js')
  const {TokenWatch} = await import('./tokens.js')
  const listen = options.listen as {host: string; port: number}
  const face = await serveHttpFace({
    host: listen.host,
    port: listen.port,
    tokens: new TokenWatch(options.tokensFile as string, options.log),
    log: options.log,
    async openSession(agent, client) {
      const session = sessionFor(agent, client, await upstreamTransport(options), 'tcp')
      await session.start()
      return session
    },
  })
  options.log(`listening on ${face.url}`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  await face.close()
  await shutdown()
  return 0
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
  const {createTelemetry, tracesDir} = await import('../telemetry/index.js')
  try {
    // The store opens lazily: without this probe a read-only directory was found only at the first
    // record, and the proxy went on forwarding calls it could not record. Pins and approvals live in
    // the state directory itself.
    const traces = tracesDir(options.stateDir)
    mkdirSync(traces, {recursive: true})
    accessSync(traces, constants.W_OK)
    accessSync(options.stateDir, constants.W_OK)
    return await createTelemetry({
      stateDir: options.stateDir,
      otlpEndpoint: options.otlpEndpoint,
      otlpHeaders: options.otlpHeaders,
      retentionDays: Number(process.env.AGENTGOV_TRACE_RETENTION_DAYS) || undefined,
      warn: options.log,
    })
  } catch (error) {
    throw new AgentgovError(`Cannot open the trace store in ${options.stateDir}: ${errorMessage(error)}.`, {
      exit: ExitCode.state,
      hint: 'Set AGENTGOV_HOME to a writable directory.',
    })
  }
}
