import type {ConfigDocument} from '../config/document.js'
import {getIn, readServerMap, type ServerMapOptions, stringArray} from './server-map.js'
import type {ReadResult, ServerEntry} from './types.js'

/**
 * Amazon Q CLI and Kiro agent files trust tools in a file-level `allowedTools` list rather than per
 * server: `@server/tool`, `@server` (every tool of it), and `*`/`?` globs in either part
 * (`@git-*` + `/read_*`). Entries without `@` name built-in tools (fs_read, shell) and are not MCP.
 */
export function applyAllowedTools(servers: ServerEntry[], allowedTools: unknown): ServerEntry[] {
  for (const rule of stringArray(allowedTools) ?? []) {
    if (!rule.startsWith('@') || rule.length < 2) continue
    const slash = rule.indexOf('/')
    const serverPattern = slash === -1 ? rule.slice(1) : rule.slice(1, slash)
    const tool = slash === -1 || slash === rule.length - 1 ? '*' : rule.slice(slash + 1)
    const matches = globRegExp(serverPattern)
    for (const server of servers) {
      if (!matches.test(server.name)) continue
      const approved = server.autoApprove ?? []
      if (!approved.includes(tool)) server.autoApprove = [...approved, tool]
    }
  }

  return servers
}

/** An agent file's reader: its `mcpServers` map with `allowedTools` folded into each server. */
export function readAgentFile(options: ServerMapOptions = {}): (doc: ConfigDocument) => ReadResult {
  return (doc) => ({servers: applyAllowedTools(readServerMap(doc, ['mcpServers'], options), getIn(doc.value, ['allowedTools']))})
}

function globRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/, String.raw`\$&`)))
    .join('')
  return new RegExp(`^${body}$`)
}
