import {sep} from 'node:path'

import {Box, Text} from 'ink'

import {severityRank} from '../discovery/rules.js'
import {type Finding, type Inventory, type RepositoryRecord, type ServerRecord, SEVERITIES, type Severity} from '../discovery/types.js'
import {tildify, truncate} from './text.js'
import {GOVERNANCE_COLOR, SEVERITY_COLOR} from './theme.js'

interface Props {
  inventory: Inventory
}

/** `agentgov discover`'s human view: servers grouped by client and file, then repositories, processes, findings. */
export function DiscoverView({inventory}: Props) {
  const home = inventory.host.home
  const path = (p: string) => tildify(p, home)
  const nameWidth = Math.min(24, Math.max(4, ...inventory.servers.map((s) => s.name.length)))
  return (
    <Box flexDirection="column">
      {inventory.clients.length === 0 && inventory.repositories.length === 0 ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text>No MCP client configs found{inventory.scanned.machine ? ' on this machine' : ''}.</Text>
          {inventory.scanned.repositories.length === 0 ? (
            <Text dimColor>To scan repositories too: agentgov discover ~/code</Text>
          ) : null}
        </Box>
      ) : null}
      {inventory.clients.map((client) => (
        <Box key={client.id} flexDirection="column" marginBottom={1}>
          <Text bold>
            {client.name}
            {client.processes.length > 0 ? <Text color="green"> (running: pid {client.processes.join(', ')})</Text> : null}
          </Text>
          {client.configs.map((config) => (
            <Box key={config.path} flexDirection="column" marginLeft={2}>
              <Text>
                <Text color="cyan">{path(config.path)}</Text>
                <Text dimColor> ({config.scope})</Text>
                {config.status === 'ok' ? null : <Text color="red"> {config.status}: {config.error}</Text>}
                {config.status === 'ok' && config.servers === 0 ? <Text dimColor> no servers</Text> : null}
              </Text>
              {inventory.servers
                .filter((s) => s.file === config.path && s.client === client.id)
                .map((server) => (
                  <ServerLine key={server.id} server={server} home={home} nameWidth={nameWidth} />
                ))}
            </Box>
          ))}
        </Box>
      ))}
      <Repositories inventory={inventory} />
      <Processes inventory={inventory} />
      <Findings inventory={inventory} />
      <Summary inventory={inventory} />
    </Box>
  )
}

function ServerLine({server, home, nameWidth}: {server: ServerRecord; home: string; nameWidth: number}) {
  const launch = server.url ?? [server.command, ...(server.args ?? [])].filter(Boolean).join(' ')
  const flags = [server.enabled ? undefined : 'disabled', server.package && !server.package.pinned ? 'unpinned' : undefined].filter(Boolean)
  // One line per server, status before the command, so a narrow terminal truncates the command, not the verdict.
  return (
    <Box marginLeft={2}>
      <Text wrap="truncate-end">
        <Text color={server.enabled ? GOVERNANCE_COLOR[server.governance] : 'gray'}>{server.enabled ? '●' : '○'} </Text>
        <Text bold>{server.name.padEnd(nameWidth)}</Text> <Text dimColor>{server.transport.padEnd(5)}</Text>{' '}
        <Text color={GOVERNANCE_COLOR[server.governance]}>{server.governance.padEnd(8)}</Text>{' '}
        {flags.length > 0 ? <Text color="yellow">{flags.join(',')} </Text> : null}
        {server.project ? <Text dimColor>[{tildify(server.project, home)}] </Text> : null}
        <Text dimColor>{tildify(launch, home)}</Text>
      </Text>
    </Box>
  )
}

/** Files named per framework before the rest are only counted: `--json` holds every one. */
const FIRST_FILES = 3

interface RepoRisk {
  repo: RepositoryRecord
  findings: Finding[]
  worst: number
  servers: ServerRecord[]
}

/** What each repository holds, riskiest first: worst finding, then findings, shadow servers, frameworks. */
function byRisk(inventory: Inventory): RepoRisk[] {
  const repos = inventory.repositories
  const owner = (file: string | undefined) =>
    file ? repos.filter((r) => file.startsWith(r.path + sep)).sort((a, b) => b.path.length - a.path.length)[0] : undefined
  const rows = new Map(repos.map((repo) => [repo, {repo, findings: [] as Finding[], worst: -1, servers: [] as ServerRecord[]}]))
  for (const finding of inventory.findings) {
    const row = rows.get(owner(finding.file) as RepositoryRecord)
    if (!row) continue
    row.findings.push(finding)
    row.worst = Math.max(row.worst, severityRank(finding.severity))
  }

  for (const server of inventory.servers) if (server.scope === 'project') rows.get(owner(server.file) as RepositoryRecord)?.servers.push(server)
  const shadow = (r: RepoRisk) => r.servers.filter((s) => s.governance === 'shadow').length
  return [...rows.values()].sort(
    (a, b) =>
      b.worst - a.worst ||
      b.findings.length - a.findings.length ||
      shadow(b) - shadow(a) ||
      b.repo.frameworks.length - a.repo.frameworks.length ||
      a.repo.path.localeCompare(b.repo.path),
  )
}

/** SEVERITIES runs from critical down, ranks from info up. */
function severityAt(rank: number): Severity {
  return SEVERITIES[SEVERITIES.length - 1 - rank]
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

function Repositories({inventory}: Props) {
  if (inventory.repositories.length === 0) return null
  const home = inventory.host.home
  const rows = byRisk(inventory)
  let hidden = 0
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>
        Repositories <Text dimColor>({rows.filter((r) => r.repo.kind !== 'folder').length}, riskiest first)</Text>
      </Text>
      {rows.map(({repo, findings, worst, servers}) => {
        const rel = (file: string) => (file.startsWith(repo.path + sep) ? file.slice(repo.path.length + 1) : tildify(file, home))
        const shadow = servers.filter((s) => s.governance === 'shadow').length
        const envKeys = repo.envFiles.flatMap((e) => e.keys)
        const counts = [
          repo.kind === 'folder' ? 'outside any repository' : repo.kind,
          // Before the counts, so a narrow terminal truncates those and not the verdict.
          findings.length > 0 ? `${plural(findings.length, 'finding')}, worst ${severityAt(worst)}` : undefined,
          plural(repo.frameworks.length, 'framework'),
          repo.mcpConfigs.length > 0 ? `${plural(repo.mcpConfigs.length, 'MCP config')} (${plural(servers.length, 'server')}, ${shadow} shadow)` : undefined,
          repo.instructionFiles.length > 0 ? plural(repo.instructionFiles.length, 'instruction file') : undefined,
          envKeys.length > 0 ? plural(envKeys.length, '.env key') : undefined,
        ].filter(Boolean)
        return (
          <Box key={repo.path} flexDirection="column" marginLeft={2}>
            <Text wrap="truncate-end">
              <Text color={worst >= 0 ? SEVERITY_COLOR[severityAt(worst)] : 'cyan'}>{tildify(repo.path, home)}</Text>{' '}
              <Text dimColor>{counts.join(' · ')}</Text>
            </Text>
            {repo.frameworks.map((framework) => {
              const files = [...new Set(framework.evidence.map((e) => e.file))]
              hidden += Math.max(0, files.length - FIRST_FILES)
              return (
                <Box key={framework.framework} marginLeft={2}>
                  <Text wrap="truncate-end">
                    <Text bold>{framework.name}</Text>
                    {framework.transitive ? <Text color="yellow"> transitive</Text> : null}
                    <Text dimColor> {plural(files.length, 'file')}: </Text>
                    {files.slice(0, FIRST_FILES).map(rel).join(', ')}
                    {files.length > FIRST_FILES ? <Text dimColor> +{files.length - FIRST_FILES} more</Text> : null}
                  </Text>
                </Box>
              )
            })}
            {repo.packages.length > 0 ? (
              <Box marginLeft={2}>
                <Text wrap="truncate-end">
                  <Text dimColor>packages: </Text>
                  {repo.packages
                    .map((p) => `${rel(p.path)}${p.name ? ` (${p.name})` : ''}${p.frameworks.length > 0 ? `: ${p.frameworks.map((f) => f.name).join(', ')}` : ''}`)
                    .join('; ')}
                </Text>
              </Box>
            ) : null}
            {repo.mcpConfigs.length > 0 ? <FileList label="MCP configs" files={repo.mcpConfigs.map(rel)} /> : null}
            {repo.instructionFiles.length > 0 ? <FileList label="instructions" files={repo.instructionFiles.map((f) => rel(f.path))} /> : null}
            {envKeys.length > 0 ? (
              <FileList label=".env keys" files={repo.envFiles.flatMap((e) => e.keys.map((k) => `${k.name} (${rel(e.path)}:${k.line})`))} />
            ) : null}
          </Box>
        )
      })}
      <Text dimColor>
        {hidden > 0 ? `${plural(hidden, 'more file')} not named here. ` : ''}Every file of every repository: agentgov discover {inventory.scanned.repositories.map((p) => tildify(p, home)).join(' ')} --json
      </Text>
    </Box>
  )
}

function FileList({label, files}: {label: string; files: string[]}) {
  return (
    <Box marginLeft={2}>
      <Text wrap="truncate-end">
        <Text dimColor>{label}: </Text>
        {files.slice(0, FIRST_FILES).join(', ')}
        {files.length > FIRST_FILES ? <Text dimColor> +{files.length - FIRST_FILES} more</Text> : null}
      </Text>
    </Box>
  )
}

function Processes({inventory}: Props) {
  if (inventory.processes.length === 0) return null
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>Running</Text>
      {inventory.processes.map((p) => (
        <Box key={p.pid} marginLeft={2}>
          <Text>
            <Text dimColor>{String(p.pid).padStart(7)} </Text>
            {p.kind === 'client' ? <Text>{p.name}</Text> : <Text>{truncate(p.command, 80)}</Text>}{' '}
            <Text dimColor>{p.kind}</Text>
            {p.kind === 'mcp-server' ? <Text color={p.governed ? 'green' : 'yellow'}> {p.governed ? 'governed' : 'shadow'}</Text> : null}
          </Text>
        </Box>
      ))}
    </Box>
  )
}

/** Findings of medium and above in full; low and info as counts per rule, so the screen stays readable. */
function Findings({inventory}: Props) {
  const home = inventory.host.home
  const full = inventory.findings.filter((f) => severityRank(f.severity) >= severityRank('medium'))
  const brief = new Map<string, {count: number; finding: Finding}>()
  for (const finding of inventory.findings) {
    if (severityRank(finding.severity) >= severityRank('medium')) continue
    const key = `${finding.severity}\0${finding.rule}`
    brief.set(key, {count: (brief.get(key)?.count ?? 0) + 1, finding})
  }

  if (inventory.findings.length === 0) return null
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>Findings</Text>
      {full.map((finding, index) => (
        <Box key={index} flexDirection="column" marginLeft={2}>
          <Text>
            <Text color={SEVERITY_COLOR[finding.severity]} bold>
              {finding.severity.toUpperCase().padEnd(9)}
            </Text>
            {finding.title}
          </Text>
          <Box marginLeft={9} flexDirection="column">
            {finding.file ? (
              <Text color="cyan">
                {tildify(finding.file, home)}
                {finding.line ? `:${finding.line}` : ''}
              </Text>
            ) : null}
            <Text>{tildifyText(finding.message, home)}</Text>
            <Text dimColor>
              Fix: {finding.fix} [{[...finding.asi, ...finding.mcp].join(' ')}]
            </Text>
          </Box>
        </Box>
      ))}
      {[...brief.values()].map(({count, finding}) => (
        <Box key={finding.rule + finding.severity} marginLeft={2}>
          <Text>
            <Text color={SEVERITY_COLOR[finding.severity]} bold>
              {finding.severity.toUpperCase().padEnd(9)}
            </Text>
            {finding.title} <Text dimColor>×{count} ({finding.rule}; every one in --json)</Text>
          </Text>
        </Box>
      ))}
    </Box>
  )
}

function tildifyText(text: string, home: string): string {
  return home ? text.split(home + '/').join('~/') : text
}

function Summary({inventory}: Props) {
  const {summary} = inventory
  return (
    <Text>
      <Text bold>{summary.agents}</Text> agent{summary.agents === 1 ? '' : 's'} · <Text bold>{summary.servers}</Text> MCP server
      {summary.servers === 1 ? '' : 's'}: <Text color="green">{summary.governed} governed</Text>,{' '}
      <Text color="cyan">{summary.approved} approved</Text>, <Text color="yellow">{summary.shadow} shadow</Text> · findings:{' '}
      {SEVERITIES.map((s, i) => (
        <Text key={s}>
          {i > 0 ? ', ' : ''}
          <Text color={summary.findings[s] > 0 ? SEVERITY_COLOR[s] : undefined}>
            {summary.findings[s]} {s}
          </Text>
        </Text>
      ))}
      <Text dimColor> ({inventory.stats.wallMs} ms)</Text>
    </Text>
  )
}
