import {basename, join, posix, win32} from 'node:path'

import type {ConfigDocument} from '../config/document.js'
import type {Host, Platform} from '../host.js'
import {envPath, uniqueLocations} from './locations.js'
import {getIn, isRecord, readServerMap, type ServerMapOptions, stringArray} from './server-map.js'
import type {ClientAdapter, ConfigLocation, FileFacts, ServerEntry} from './types.js'
import {commandArgs} from './rewrite.js'

// Claude Code rejects a `url` entry without `type`, so such an entry is not a server it would run.
const OPTIONS: ServerMapOptions = {untypedUrl: 'unknown'}

const MANAGED_FILES = ['managed-mcp.json', 'managed-settings.json']

const MANAGED_DIRS: Record<Platform, Array<{dir: string; uncertain?: true}>> = {
  linux: [{dir: '/etc/claude-code'}],
  darwin: [{dir: '/Library/Application Support/ClaudeCode'}],
  // Older Windows builds read managed files from ProgramData.
  win32: [{dir: 'C:\\Program Files\\ClaudeCode'}, {dir: 'C:\\ProgramData\\ClaudeCode', uncertain: true}],
}

export const claudeCode: ClientAdapter = {
  id: 'claude-code',
  name: 'Claude Code',
  machineConfigs(host) {
    // $CLAUDE_CONFIG_DIR stands in for ~/.claude and holds .claude.json itself.
    const configDir = envPath(host, 'CLAUDE_CONFIG_DIR')
    const userFiles = [join(host.home, '.claude.json'), ...(configDir ? [join(configDir, '.claude.json')] : [])]
    const pluginDirs = [join(host.home, '.claude'), ...(configDir ? [configDir] : [])]
    return uniqueLocations([
      ...userFiles.map((path): ConfigLocation => ({path, scope: 'user', format: 'json'})),
      ...managedLocations(host),
      // A plugin declares servers in .mcp.json at its root or inline in .claude-plugin/plugin.json.
      ...pluginDirs.flatMap((dir): ConfigLocation[] => [
        {path: `${join(dir, 'plugins')}/**/.mcp.json`, scope: 'extension', format: 'json'},
        {path: `${join(dir, 'plugins')}/**/.claude-plugin/plugin.json`, scope: 'extension', format: 'json'},
      ]),
    ])
  },
  projectConfigs: [{path: '.mcp.json', format: 'json'}],
  read(doc, location) {
    if (location.scope === 'extension') {
      // plugin.json's `mcpServers` is the map itself, or a path to a file beside it (which the
      // plugin's own .mcp.json glob, or nothing, covers): only the inline map names servers here.
      if (basename(location.path) === 'plugin.json') return {servers: readServerMap(doc, ['mcpServers'], OPTIONS)}
      // A plugin's .mcp.json holds either {mcpServers: {…}} or the bare name -> entry map.
      const wrapped = isRecord(getIn(doc.value, ['mcpServers']))
      return {servers: readServerMap(doc, wrapped ? ['mcpServers'] : [], OPTIONS)}
    }

    const servers = [...readServerMap(doc, ['mcpServers'], OPTIONS), ...localServers(doc, location)]
    const facts = allowListFacts(doc)
    return facts ? {servers, facts} : {servers}
  },
  rewrite: commandArgs({
    clientAuth: {
      headersHelper: 'Claude Code builds its headers with a helper command, which the proxy cannot run',
      oauth: "Claude Code runs this server's OAuth sign-in itself",
    },
    trustGate: 'Claude Code asks again to approve the servers of a project .mcp.json once they change',
  }),
  processNames: ['claude', '@anthropic-ai/claude-code'],
}

function managedLocations(host: Host): ConfigLocation[] {
  const {join: osJoin} = host.platform === 'win32' ? win32 : posix
  return MANAGED_DIRS[host.platform].flatMap(({dir, uncertain}) =>
    MANAGED_FILES.map((file): ConfigLocation => ({path: osJoin(dir, file), scope: 'managed', format: 'json', ...(uncertain && {uncertain})})),
  )
}

/** `projects["/abs/dir"].mcpServers` in ~/.claude.json: local scope, switched off per project. */
function localServers(doc: ConfigDocument, location: ConfigLocation): ServerEntry[] {
  const projects = getIn(doc.value, ['projects'])
  if (!isRecord(projects)) return []
  return Object.entries(projects).flatMap(([dir, project]) => {
    if (!isRecord(project)) return []
    const disabled = new Set(stringArray(project.disabledMcpServers) ?? [])
    return readServerMap(doc, ['projects', dir, 'mcpServers'], OPTIONS).map((entry) => ({
      ...entry,
      ...(location.scope === 'local' ? {} : {scope: 'local' as const}),
      project: dir,
      enabled: entry.enabled && !disabled.has(entry.name),
    }))
  })
}

/**
 * Managed `allowedMcpServers` entries that match a literal command line or URL: a server rewritten to
 * launch through agentgov no longer matches them, and Claude Code blocks it. Name-only entries keep
 * matching after a rewrite, so they are no hazard.
 */
function allowListFacts(doc: ConfigDocument): FileFacts | undefined {
  const allowed = getIn(doc.value, ['allowedMcpServers'])
  if (!Array.isArray(allowed)) return undefined
  const rules = allowed.filter(isRecord)
  const commands = rules.filter((rule) => Array.isArray(rule.serverCommand)).length
  const urls = rules.filter((rule) => typeof rule.serverUrl === 'string').length
  if (commands + urls === 0) return undefined
  const matched = [plural(commands, 'command line'), plural(urls, 'URL')].filter(Boolean).join(' and ')
  return {
    allowList: {
      line: doc.lineOf(['allowedMcpServers']),
      description: `Claude Code allowedMcpServers matches ${matched} literally: a wrapped server no longer matches and is blocked`,
    },
  }
}

function plural(count: number, noun: string): string {
  if (count === 0) return ''
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
