import {redactText} from '../detect/secrets.js'
import {AgentgovError, errorMessage, ExitCode} from '../errors.js'
import {VERSION} from '../version.js'
import {classifyTool} from './capabilities.js'
import {stopAll} from './child.js'
import {judgeClient} from './judge.js'
import {connect, type Listing} from './list.js'
import {pinListing} from './pins.js'
import type {ScanTarget} from './select.js'
import {SCAN_SCHEMA, type ListedItem, type ScanFinding, type ScannedServer, type ScanReport} from './types.js'

export interface ScanOptions {
  timeoutMs: number
  stateDir: string
  /** The environment a client passes on to the servers it starts (the entry's env goes on top). */
  env: NodeJS.ProcessEnv
  onProgress?: (progress: {done: number; total: number; running: string[]}) => void
}

/** Servers started at once: each is a process (often npx), and the machine is someone's laptop. */
const CONCURRENCY = 4
const SEVERITY_RANK = {high: 3, medium: 2, low: 1} as const

/** Scan the selected servers: list, pin, judge per client. Every server started is stopped, whatever happens. */
export async function runScan(targets: readonly ScanTarget[], options: ScanOptions): Promise<ScanReport> {
  const listings = new Map<string, Listing>()
  const servers: ScannedServer[] = Array.from({length: targets.length})
  const running = new Set<string>()
  let done = 0
  let next = 0
  const worker = async () => {
    while (next < targets.length) {
      const index = next++
      const target = targets[index]
      running.add(target.name)
      options.onProgress?.({done, total: targets.length, running: [...running]})
      const {server, listing} = await scanOne(target, `s${index + 1}`, options)
      servers[index] = server
      if (listing) listings.set(server.id, listing)
      running.delete(target.name)
      done++
      options.onProgress?.({done, total: targets.length, running: [...running]})
    }
  }

  try {
    await Promise.all(Array.from({length: Math.min(CONCURRENCY, targets.length)}, worker))
  } finally {
    await stopAll()
  }

  const clients = clientsOf(servers)
  const findings = clients
    .flatMap((client) => judgeClient({...client, servers: servers.filter((s) => client.servers.includes(s.id))}, listings))
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
  return {schema: SCAN_SCHEMA, agentgov: VERSION, generatedAt: new Date().toISOString(), servers, clients, findings, summary: summarise(servers, findings)}
}

async function scanOne(target: ScanTarget, id: string, options: ScanOptions): Promise<{server: ScannedServer; listing?: Listing}> {
  const started = Date.now()
  const server: ScannedServer = {id, name: target.name, uses: target.uses, launch: shownLaunch(target), status: 'skipped', durationMs: 0, tools: [], prompts: [], resources: [], resourceTemplates: []}
  if ('skip' in target.launch) return {server: {...server, reason: target.launch.skip}}

  const connection = connect(target.launch, options.env)
  connection.listing.catch(() => {})
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), options.timeoutMs)
  })
  let listing: Listing | undefined
  try {
    listing = await Promise.race([connection.listing, timeout])
  } catch (error) {
    server.status = error instanceof TimedOut ? 'timeout' : 'failed'
    server.reason = error instanceof TimedOut ? `it did not finish listing within ${options.timeoutMs / 1000} s (stopped)` : redactText(errorMessage(error))
  } finally {
    clearTimeout(timer)
    await connection.stop()
    server.durationMs = Date.now() - started
  }

  if (!listing) return {server}
  const pins = pinsOf(options.stateDir, target.name, listing.tools)
  return {
    listing,
    server: {
      ...server,
      status: 'ok',
      era: listing.era,
      ...(listing.protocolVersion && {protocolVersion: listing.protocolVersion}),
      ...(listing.serverInfo && {serverInfo: listing.serverInfo}),
      tools: listing.tools.map((tool) => ({
        name: String(tool.name),
        ...pick(tool, ['title', 'description']),
        ...(typeof tool.annotations === 'object' && tool.annotations !== null && {annotations: tool.annotations as Record<string, unknown>}),
        capabilities: classifyTool(tool),
        ...(pins.has(String(tool.name)) && {pin: pins.get(String(tool.name))}),
      })),
      prompts: listing.prompts.map((p) => ({name: String(p.name), ...pick(p, ['title', 'description'])})),
      resources: listing.resources.map((r) => ({name: String(r.name ?? r.uri), ...pick(r, ['title', 'description', 'uri'])})),
      resourceTemplates: listing.resourceTemplates.map((r) => ({name: String(r.name ?? r.uriTemplate), ...pick(r, ['title', 'description', 'uriTemplate'])})),
    },
  }
}

function pinsOf(stateDir: string, name: string, tools: Listing['tools']): ReturnType<typeof pinListing> {
  try {
    return pinListing(stateDir, name, tools)
  } catch (error) {
    throw new AgentgovError(`Cannot record the pins of ${name} in ${stateDir}: ${errorMessage(error)}.`, {exit: ExitCode.state, hint: 'Set AGENTGOV_HOME to a writable directory.'})
  }
}

class TimedOut extends Error {}

function pick(item: Record<string, unknown>, keys: ReadonlyArray<keyof ListedItem>): Partial<ListedItem> {
  const out: Partial<ListedItem> = {}
  for (const key of keys) if (typeof item[key] === 'string') out[key] = item[key] as string & ListedItem['name']
  return out
}

/** The launch as output shows it: env and header values never, secrets in arguments and URLs redacted. */
function shownLaunch(target: ScanTarget): ScannedServer['launch'] {
  const {launch} = target
  if ('skip' in launch) return {transport: 'stdio'}
  if (launch.transport === 'stdio') {
    return {transport: 'stdio', command: redactText(launch.command), args: launch.args.map((a) => redactText(a)), ...(launch.cwd && {cwd: launch.cwd}), envNames: Object.keys(launch.env)}
  }

  return {transport: launch.transport, url: redactText(launch.url), headerNames: Object.keys(launch.headers)}
}

function clientsOf(servers: readonly ScannedServer[]): ScanReport['clients'] {
  const byClient = new Map<string, ScanReport['clients'][number]>()
  for (const server of servers) {
    for (const use of server.uses) {
      const client = byClient.get(use.client) ?? {client: use.client, name: use.clientName, servers: []}
      if (!client.servers.includes(server.id)) client.servers.push(server.id)
      byClient.set(use.client, client)
    }
  }

  return [...byClient.values()]
}

function summarise(servers: readonly ScannedServer[], findings: readonly ScanFinding[]): ScanReport['summary'] {
  const count = (severity: ScanFinding['severity']) => findings.filter((f) => f.severity === severity).length
  return {
    servers: servers.length,
    listed: servers.filter((s) => s.status === 'ok').length,
    failed: servers.filter((s) => s.status === 'failed' || s.status === 'timeout').length,
    tools: servers.reduce((n, s) => n + s.tools.length, 0),
    prompts: servers.reduce((n, s) => n + s.prompts.length, 0),
    resources: servers.reduce((n, s) => n + s.resources.length + s.resourceTemplates.length, 0),
    findings: {high: count('high'), medium: count('medium'), low: count('low')},
  }
}

/** The exit a report ends with under `--fail-on`: 1 when a finding is at or above the threshold. */
export function failsAt(report: ScanReport, threshold: ScanFinding['severity'] | undefined): number {
  if (!threshold) return 0
  return report.findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]).length
}
