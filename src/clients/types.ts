import type {ConfigDocument, ConfigFormat, DocPath} from '../config/document.js'
import type {Host} from '../host.js'

/**
 * user: the person's own config; project: checked into a repository; local: per-project but kept in
 * the user's file (Claude Code's `projects` map); managed: set by an administrator; system: machine-wide
 * defaults; extension: installed plugins or extensions that bring their own servers.
 */
export type Scope = 'extension' | 'local' | 'managed' | 'project' | 'system' | 'user'

export type Transport = 'http' | 'sse' | 'stdio' | 'unknown' | 'ws'

/** A config file a client may read. `path` may be a fast-glob pattern (absolute, forward slashes). */
export interface ConfigLocation {
  path: string
  scope: Scope
  format: ConfigFormat
  /** Shown to the user when a location is only a guess (the "(?)" rows of the reference). */
  uncertain?: boolean
}

/** A project-level config, relative to a repository root (posix separators, may be a glob). */
export interface ProjectConfig {
  path: string
  format: ConfigFormat
}

/** One MCP server entry as a client defines it, normalised across every client's shape. */
export interface ServerEntry {
  name: string
  /** Where the entry sits in the document (e.g. ['mcpServers', 'github']): wrap edits exactly there. */
  path: DocPath
  scope?: Scope
  /** Claude Code's local scope: the project directory the entry belongs to. */
  project?: string
  transport: Transport
  command?: string
  args?: string[]
  url?: string
  cwd?: string
  /** Values are held only for secret detection; output carries names alone. */
  env?: Record<string, string>
  headers?: Record<string, string>
  /** Names of env vars the client forwards from its own environment (Codex env_vars, Goose env_keys). */
  envPassthrough?: string[]
  enabled: boolean
  /** Tools the client runs without asking; ['*'] when every tool is trusted (Gemini `trust: true`). */
  autoApprove?: string[]
  line?: number
}

/** Facts a file holds besides servers that matter to governance (admin allow-lists and the like). */
export interface FileFacts {
  /** An admin allow-list that matches literal commands or URLs: a wrapped entry may be blocked. */
  allowList?: {line?: number; description: string}
}

export interface ReadResult {
  servers: ServerEntry[]
  facts?: FileFacts
}

/**
 * One MCP client: where its files are and how to read servers from them. Adding a client is one
 * adapter file plus fixtures (see src/clients/README.md).
 */
export interface ClientAdapter {
  id: string
  name: string
  /** Files on the machine (user, local, managed, system, extension scope) for the host's OS. */
  machineConfigs(host: Host): ConfigLocation[]
  /** Files inside a repository. */
  projectConfigs: ProjectConfig[]
  /** Servers in one parsed file. Malformed entries are skipped, never thrown: the scan goes on. */
  read(doc: ConfigDocument, location: ConfigLocation): ReadResult
  /** Executable names (basename, no extension) or argv fragments that identify the running client. */
  processNames?: string[]
  /** How `wrap` routes this client's entries through the proxy; without it the client is never rewritten. */
  rewrite?: RewriteSpec
}

/**
 * How `wrap` may rewrite a client's entries, as data. An adapter without one is never rewritten.
 * Everything not named here (env, cwd, envFile, timeout, enable flags, tool lists…) stays as written.
 */
export interface RewriteSpec {
  /**
   * Where the launch is written: `command` + `args` (most clients; Zed's legacy `command: {path,
   * args}` is followed when found), `cmd` + `args` (Goose), or one `command` array holding the
   * whole argv (OpenCode).
   */
  launch: 'argv' | 'cmd-args' | 'command-args'
  /**
   * `type` of a remote entry turned stdio: the client's stdio name, or null when the client's stdio
   * entries have no `type` (the key is then removed, never set to something the client rejects).
   */
  stdioType: null | string
  /** Keys only a remote entry has: removed when it becomes a stdio entry (dotted for nested keys). */
  remoteKeys: string[]
  /** Keys with which the client itself authenticates a remote server: such an entry stays as it is. */
  clientAuth?: Record<string, string>
  /** Said for a project file that the client gates by trust, when wrap is about to change it. */
  trustGate?: string
}
