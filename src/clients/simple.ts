import type {ConfigFormat} from '../config/document.js'
import type {Host} from '../host.js'
import {commandArgs, type RewriteSpec} from './rewrite.js'
import {readServerMap, type ServerMapOptions} from './server-map.js'
import type {ClientAdapter, ConfigLocation, ProjectConfig, Scope} from './types.js'

/** The format a client parses a file with, told by its extension (JSON by default). */
export function formatOf(path: string): ConfigFormat {
  if (/\.ya?ml$/i.test(path)) return 'yaml'
  if (/\.toml$/i.test(path)) return 'toml'
  if (/\.jsonc$/i.test(path)) return 'jsonc'
  return 'json'
}

/** One candidate file on the machine: user scope and the extension's format unless told otherwise. */
export function file(path: string, extra: {format?: ConfigFormat; scope?: Scope; uncertain?: boolean} = {}): ConfigLocation {
  const location: ConfigLocation = {path, scope: extra.scope ?? 'user', format: extra.format ?? formatOf(path)}
  if (extra.uncertain) location.uncertain = true
  return location
}

export function projectFiles(paths: readonly string[], format?: ConfigFormat): ProjectConfig[] {
  return paths.map((path) => ({path, format: format ?? formatOf(path)}))
}

export interface McpServersClientSpec {
  id: string
  name: string
  machine: (host: Host) => ConfigLocation[]
  /** Repository-relative files (posix, may be globs). */
  project?: readonly string[]
  /** The key holding the `{name: entry}` map; Amp's is a literal dotted key. */
  key?: string
  options?: ServerMapOptions
  /** For clients that keep more than the map in the same file (Amazon Q's allowedTools). */
  read?: ClientAdapter['read']
  processNames?: string[]
  /** Default: `command`/`args`, and no `type` on a stdio entry (these clients document none). */
  rewrite?: RewriteSpec
}

/**
 * Most clients are a server map under one key in a JSON file: such a client is its paths plus the
 * key, and this builds the adapter from that description.
 */
export function mcpServersClient(spec: McpServersClientSpec): ClientAdapter {
  const key = spec.key ?? 'mcpServers'
  const adapter: ClientAdapter = {
    id: spec.id,
    name: spec.name,
    machineConfigs: spec.machine,
    projectConfigs: projectFiles(spec.project ?? []),
    read: spec.read ?? ((doc) => ({servers: readServerMap(doc, [key], spec.options)})),
    rewrite: spec.rewrite ?? commandArgs({stdioType: null}),
  }
  if (spec.processNames) adapter.processNames = spec.processNames
  return adapter
}
