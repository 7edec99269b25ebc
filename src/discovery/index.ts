import {readFile} from 'node:fs/promises'
import {sep} from 'node:path'

import {CLIENTS, clientById} from '../clients/index.js'
import {parseGovernedLaunch} from '../clients/governed.js'
import type {ClientAdapter, ServerEntry} from '../clients/types.js'
import {positionOf} from '../config/document.js'
import {findHiddenText} from '../detect/hidden-text.js'
import {sha256} from '../digest.js'
import {redactArgs, redactUrl} from '../detect/secrets.js'
import type {Host} from '../host.js'
import {VERSION} from '../version.js'
import {type ApprovedInventory, isApproved} from './approved.js'
import {checkServer} from './checks.js'
import {scanMachine} from './machine.js'
import {packageOf} from './packages.js'
import {scanProcesses} from './processes.js'
import {type ConfigRead, readConfigFile} from './read-config.js'
import {scanRepositories, type WalkOptions} from './repos.js'
import {makeFinding, severityRank} from './rules.js'
import {
  type AgentRecord,
  type ClientRecord,
  type Finding,
  INVENTORY_SCHEMA,
  type Inventory,
  type ProcessRecord,
  type RepositoryRecord,
  type ServerRecord,
  SEVERITIES,
  type Severity,
} from './types.js'

export interface DiscoverOptions {
  host: Host
  machine: boolean
  processes: boolean
  repositories: string[]
  approved?: ApprovedInventory
  clients?: readonly ClientAdapter[]
  /** How the repository walk is narrowed (--exclude, --gitignore) and reports progress. */
  walk?: WalkOptions
}

/** Static, read-only discovery: it reads files and the process table, starts nothing, writes nothing. */
export async function discover(options: DiscoverOptions): Promise<Inventory> {
  const started = performance.now()
  const clients = options.clients ?? CLIENTS
  const [machineReads, repoScan, processScan] = await Promise.all([
    options.machine ? scanMachine(options.host, clients) : Promise.resolve([]),
    options.repositories.length > 0 ? scanRepositories(options.repositories, clients, options.walk) : undefined,
    options.processes ? scanProcesses({platform: options.host.platform, clients}) : undefined,
  ])

  const projectReads = await Promise.all(
    (repoScan?.configFiles ?? []).map((file) => {
      const adapter = clientById(file.client)
      return adapter ? readConfigFile(adapter, {path: file.path, scope: 'project', format: file.format}) : undefined
    }),
  )
  const reads = uniqueReads([...machineReads, ...projectReads])

  const servers: ServerRecord[] = []
  const findings: Finding[] = []
  const keys = new Map<ServerRecord, string>()
  for (const read of reads) {
    findings.push(...fileFindings(read))
    for (const entry of read.servers) {
      const record = serverRecord(read, entry, options.approved)
      servers.push(record)
      keys.set(record, entry.path.join('.'))
      findings.push(...checkServer({entry, record, host: options.host, doc: read.doc}))
    }
  }

  findings.push(...linkDuplicates(servers, keys))
  const repositories = repoScan?.repositories ?? []
  findings.push(...repositoryFindings(repositories), ...(await instructionFindings(repositories)))
  const processes = processScan?.processes ?? []
  findings.push(...processFindings(processes))
  findings.sort(bySeverityThenPlace)

  const clientRecords = clientRecordsOf(clients, reads, processes)
  const agents = agentsOf(clientRecords, repositories, servers)
  return {
    schema: INVENTORY_SCHEMA,
    agentgov: VERSION,
    generatedAt: new Date().toISOString(),
    host: {platform: options.host.platform, home: options.host.home},
    scanned: {
      machine: options.machine,
      processes: processScan ? (processScan.supported ? true : 'unsupported') : false,
      repositories: options.repositories,
      ...(options.approved ? {approvedFile: options.approved.file} : {}),
    },
    summary: {
      agents: agents.length,
      clients: clientRecords.length,
      servers: servers.length,
      governed: servers.filter((s) => s.governance === 'governed').length,
      approved: servers.filter((s) => s.governance === 'approved').length,
      shadow: servers.filter((s) => s.governance === 'shadow').length,
      findings: countBySeverity(findings),
    },
    agents,
    clients: clientRecords,
    servers,
    repositories,
    processes,
    findings,
    stats: {filesVisited: (repoScan?.filesVisited ?? 0) + reads.length, wallMs: Math.round(performance.now() - started)},
  }
}

/**
 * A file seen by both the machine scan and a repository scan is one file: the machine scope wins.
 * A file name two clients share (`.mcp.json`: Claude Code's `mcpServers`, Visual Studio's `servers`)
 * belongs to the clients that found servers in it; an empty claim is noise.
 */
function uniqueReads(reads: Array<ConfigRead | undefined>): ConfigRead[] {
  const byKey = new Map<string, ConfigRead>()
  for (const read of reads) {
    if (!read) continue
    const key = `${read.adapter.id}\0${read.location.path}`
    if (!byKey.has(key)) byKey.set(key, read)
  }

  const all = [...byKey.values()]
  const withServers = new Set(all.filter((read) => read.servers.length > 0).map((read) => read.location.path))
  return all.filter((read) => read.servers.length > 0 || read.record.status !== 'ok' || !withServers.has(read.location.path))
}

function serverRecord(read: ConfigRead, entry: ServerEntry, approved: ApprovedInventory | undefined): ServerRecord {
  const file = read.location.path
  const governed = parseGovernedLaunch(entry.command, entry.args)
  // A governed entry's package is the inner server's, which is what pinning is about.
  const launched = governed && governed.inner.length > 0 ? governed.inner : [entry.command ?? '', ...(entry.args ?? [])]
  const record: ServerRecord = {
    id: shortHash(`${read.adapter.id}\0${file}\0${entry.path.join('\0')}`),
    client: read.adapter.id,
    scope: entry.scope ?? read.location.scope,
    file,
    name: entry.name,
    transport: entry.transport,
    envNames: Object.keys(entry.env ?? {}).concat(entry.envPassthrough ?? []),
    headerNames: Object.keys(entry.headers ?? {}),
    enabled: entry.enabled,
    governance: 'shadow',
    duplicates: [],
  }
  if (entry.line) record.line = entry.line
  if (entry.project) record.project = entry.project
  if (entry.command) record.command = entry.command
  if (entry.args) record.args = redactArgs(entry.args)
  if (entry.url) record.url = redactUrl(entry.url)
  const pkg = entry.command ? packageOf(launched[0], launched.slice(1)) : undefined
  if (pkg) record.package = pkg
  if (entry.autoApprove) record.autoApprove = entry.autoApprove
  if (governed) {
    record.governance = 'governed'
    record.proxy = {agent: governed.agent, server: governed.server, policy: governed.policy}
  } else if (isApproved(record, approved)) {
    record.governance = 'approved'
  }

  return record
}

function shortHash(text: string): string {
  return sha256(text).slice(0, 12)
}

function fileFindings(read: ConfigRead): Finding[] {
  const {record} = read
  const findings: Finding[] = []
  if (record.status === 'malformed') {
    findings.push(makeFinding('config-malformed', {file: record.path, line: read.errorLine, column: read.errorColumn, message: `${record.path}: ${record.error}.`}))
  } else if (record.status === 'unreadable') {
    findings.push(makeFinding('config-unreadable', {file: record.path, message: `${record.path}: ${record.error}.`}))
  }

  if (read.facts?.allowList) {
    findings.push(makeFinding('admin-allowlist', {file: record.path, line: read.facts.allowList.line, message: read.facts.allowList.description}))
  }

  return findings
}

/** What makes two entries the same server: the package it runs, else its command line, else its URL. */
function identityOf(server: ServerRecord): string | undefined {
  const inner = server.package && server.package.ecosystem !== 'local' ? `pkg:${server.package.ecosystem}:${server.package.name}` : undefined
  if (inner) return inner
  if (server.url) return `url:${server.url.replace(/[?#].*$/, '').replace(/\/+$/, '')}`
  if (server.command) return `cmd:${[server.command, ...(server.args ?? [])].join(' ')}`
  return undefined
}

function linkDuplicates(servers: ServerRecord[], keys: Map<ServerRecord, string>): Finding[] {
  const groups = new Map<string, ServerRecord[]>()
  for (const server of servers) {
    const key = identityOf(server)
    if (key) groups.set(key, [...(groups.get(key) ?? []), server])
  }

  const findings: Finding[] = []
  for (const group of groups.values()) {
    const files = new Set(group.map((s) => `${s.client}\0${s.file}\0${s.project ?? ''}`))
    if (files.size < 2) continue
    for (const server of group) server.duplicates = group.filter((other) => other !== server).map((other) => other.id)
    const first = group[0]
    const where = group.map((s) => `${s.client} (${s.file}${s.line ? `:${s.line}` : ''})`)
    findings.push(
      makeFinding('duplicate-server', {
        file: first.file,
        line: first.line,
        key: keys.get(first),
        subject: first.id,
        message: `Server "${first.name}" is configured ${group.length} times: ${where.join(', ')}.`,
      }),
    )
  }

  return findings
}

function repositoryFindings(repositories: RepositoryRecord[]): Finding[] {
  return repositories.flatMap((repo) =>
    repo.envFiles.flatMap((envFile) =>
      envFile.keys.map((key) =>
        makeFinding('provider-key-in-env-file', {
          file: envFile.path,
          line: key.line,
          key: key.name,
          message: `${key.name} holds a literal ${key.provider} key (${key.redacted}).`,
        }),
      ),
    ),
  )
}

async function instructionFindings(repositories: RepositoryRecord[]): Promise<Finding[]> {
  const files = repositories.flatMap((repo) => repo.instructionFiles)
  const results = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(file.path, 'utf8').catch(() => '')
      const hidden = findHiddenText(text)
      if (hidden.length === 0) return undefined
      const kinds = [...new Set(hidden.map((h) => h.kind))].join(', ')
      return makeFinding('hidden-instructions', {
        file: file.path,
        line: hidden[0].line,
        column: positionOf(text, hidden[0].index).column,
        message: `${file.kind} holds ${hidden.length} invisible or direction-changing character(s) (${kinds}), first ${hidden[0].codePoint} on line ${hidden[0].line}.`,
      })
    }),
  )
  return results.filter((finding): finding is Finding => finding !== undefined)
}

function processFindings(processes: ProcessRecord[]): Finding[] {
  return processes
    .filter((p) => p.command.includes('[redacted'))
    .map((p) =>
      makeFinding('secret-in-process', {
        subject: String(p.pid),
        message: `Process ${p.pid} (${p.name}) carries a secret in its arguments: ${p.command}`,
      }),
    )
}

function clientRecordsOf(clients: readonly ClientAdapter[], reads: ConfigRead[], processes: ProcessRecord[]): ClientRecord[] {
  const records: ClientRecord[] = []
  for (const adapter of clients) {
    const configs = reads.filter((read) => read.adapter === adapter).map((read) => read.record)
    const pids = processes.filter((p) => p.kind === 'client' && p.client === adapter.id).map((p) => p.pid)
    if (configs.length > 0 || pids.length > 0) records.push({id: adapter.id, name: adapter.name, configs, processes: pids})
  }

  return records
}

function agentsOf(clients: ClientRecord[], repositories: RepositoryRecord[], servers: ServerRecord[]): AgentRecord[] {
  const agents: AgentRecord[] = clients.map((client) => {
    const own = servers.filter((s) => s.client === client.id)
    return {
      id: `client:${client.id}`,
      kind: 'client',
      name: client.name,
      evidence: [...client.configs.map((c) => c.path), ...client.processes.map((pid) => `pid ${pid}`)],
      servers: own.length,
      shadowServers: own.filter((s) => s.governance === 'shadow').length,
    }
  })
  // A project server belongs to the deepest repository holding it (a nested repo is its own).
  const ownerOf = (file: string) =>
    repositories.filter((repo) => isInside(file, repo.path)).sort((a, b) => b.path.length - a.path.length)[0]
  for (const repo of repositories) {
    if (repo.frameworks.length === 0) continue
    const names = [...new Set(repo.frameworks.map((f) => f.name))]
    const own = servers.filter((s) => s.scope === 'project' && ownerOf(s.file) === repo)
    agents.push({
      id: `repo:${repo.path}`,
      kind: 'framework',
      name: `${names.join(', ')} agent`,
      evidence: [repo.path],
      servers: own.length,
      shadowServers: own.filter((s) => s.governance === 'shadow').length,
    })
  }

  return agents
}

function isInside(file: string, directory: string): boolean {
  return file.startsWith(directory.endsWith(sep) ? directory : directory + sep)
}

function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>
  for (const finding of findings) counts[finding.severity]++
  return counts
}

function bySeverityThenPlace(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    a.rule.localeCompare(b.rule)
  )
}
