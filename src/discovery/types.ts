import type {Scope, Transport} from '../clients/types.js'
import type {ConfigFormat} from '../config/document.js'

/** The inventory `discover` produces; `--json` prints it. Schema documented in docs/inventory.md. */
export const INVENTORY_SCHEMA = 'agentgov.inventory/v2'

export type Severity = 'critical' | 'high' | 'low' | 'medium' | 'info'
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

export type Governance = 'approved' | 'governed' | 'shadow'

export interface PackageRef {
  ecosystem: 'docker' | 'local' | 'npm' | 'pypi' | 'unknown'
  name: string
  version?: string
  /** True when the launch names an exact version (or digest); `npx -y pkg` and `uvx pkg` are not. */
  pinned: boolean
}

export interface ServerRecord {
  /** Stable within one inventory: `<client>:<scope>:<file>#<name>` hashed short. */
  id: string
  client: string
  scope: Scope
  file: string
  line?: number
  /** Claude Code local scope: the project the entry belongs to. */
  project?: string
  name: string
  transport: Transport
  command?: string
  /** Arguments with secret values redacted. */
  args?: string[]
  /** URL with credentials and secret query values redacted. */
  url?: string
  package?: PackageRef
  envNames: string[]
  headerNames: string[]
  enabled: boolean
  autoApprove?: string[]
  governance: Governance
  /** When governed: what the agentgov proxy launch says. */
  proxy?: {agent?: string; server?: string; policy?: string}
  /** Ids of the same server configured elsewhere (another client or file). */
  duplicates: string[]
}

export interface ConfigFileRecord {
  client: string
  path: string
  scope: Scope
  format: ConfigFormat
  status: 'malformed' | 'ok' | 'unreadable'
  servers: number
  error?: string
}

export interface ClientRecord {
  id: string
  name: string
  configs: ConfigFileRecord[]
  /** Pids of running processes recognised as this client. */
  processes: number[]
}

/** One file that shows a framework. */
export interface EvidenceRecord {
  /** `dependency`: a manifest names it; `lockfile`: a lockfile resolves it; `import`: a source file imports it. */
  kind: 'dependency' | 'import' | 'lockfile'
  file: string
  line?: number
  /** The package or module that gave it away. */
  package: string
  language: 'dotnet' | 'go' | 'javascript' | 'jvm' | 'python' | 'rust'
  /** A lockfile entry for a framework no manifest of the repository names: pulled in by another package. */
  transitive?: true
}

export interface FrameworkRecord {
  /** Catalogue id, e.g. `langgraph`, `openai-agents`, `mcp-sdk`. */
  framework: string
  name: string
  /** Languages the evidence is in, sorted. */
  languages: Array<EvidenceRecord['language']>
  /** True when every piece of evidence is a transitive lockfile entry. */
  transitive: boolean
  /** Every file that shows it, one row per file and kind, sorted by kind then path. */
  evidence: EvidenceRecord[]
}

/** A directory inside a repository with its own manifest (a workspace member or a sub-project). */
export interface PackageRecord {
  path: string
  /** The `name` its manifest declares, when it declares one. */
  name?: string
  /** Frameworks shown by files in this package (they are also in the repository's list). */
  frameworks: FrameworkRecord[]
}

export interface InstructionFileRecord {
  path: string
  /** `AGENTS.md`, `CLAUDE.md`, `GEMINI.md`, `.cursorrules`, `copilot-instructions.md`, … */
  kind: string
  /** Clients that read it. */
  agents: string[]
}

export interface EnvFileRecord {
  path: string
  /** Model-provider keys with a literal value in the file: names and redacted values only. */
  keys: Array<{name: string; provider: string; line: number; redacted: string}>
}

export interface RepositoryRecord {
  path: string
  /**
   * `git`: a `.git` directory; `worktree` / `submodule`: a `.git` file pointing into another
   * repository's worktrees or modules; `project`: no git, the outermost directory with a manifest;
   * `folder`: files under a scanned folder that belong to no repository.
   */
  kind: 'folder' | 'git' | 'project' | 'submodule' | 'worktree'
  /** Every framework in the repository, its packages' included. */
  frameworks: FrameworkRecord[]
  packages: PackageRecord[]
  instructionFiles: InstructionFileRecord[]
  envFiles: EnvFileRecord[]
  /** Project-level MCP config files (their servers are in `servers`). */
  mcpConfigs: string[]
}

export interface ProcessRecord {
  pid: number
  ppid?: number
  kind: 'client' | 'mcp-server'
  /** Adapter id for clients, or the client that launched a server when the parent says so. */
  client?: string
  name: string
  /** argv joined with spaces, secrets redacted. */
  command: string
  governed: boolean
}

export interface AgentRecord {
  /** `client:<id>` or `repo:<path>`. */
  id: string
  kind: 'client' | 'framework'
  name: string
  /** Where it was seen: config files, processes, repository. */
  evidence: string[]
  servers: number
  shadowServers: number
}

export interface Finding {
  /** The rule that produced it, e.g. `secret-in-config`. */
  rule: string
  severity: Severity
  title: string
  message: string
  file?: string
  /** Where in `file` the finding is: the value itself (a secret, a URL, an argument) when it can be found, else its entry. */
  line?: number
  column?: number
  /**
   * What the finding is about inside `file`, independent of lines: the entry's key path
   * (`mcpServers.github`) or the variable's name (`OPENAI_API_KEY`).
   */
  key?: string
  /** Server record id or process pid the finding is about. */
  subject?: string
  fix: string
  asi: string[]
  mcp: string[]
}

export interface Inventory {
  schema: typeof INVENTORY_SCHEMA
  agentgov: string
  generatedAt: string
  host: {platform: string; home: string}
  scanned: {machine: boolean; processes: boolean | 'unsupported'; repositories: string[]; approvedFile?: string}
  summary: {
    agents: number
    clients: number
    servers: number
    governed: number
    approved: number
    shadow: number
    findings: Record<Severity, number>
  }
  agents: AgentRecord[]
  clients: ClientRecord[]
  servers: ServerRecord[]
  repositories: RepositoryRecord[]
  processes: ProcessRecord[]
  findings: Finding[]
  stats: {filesVisited: number; wallMs: number}
}
