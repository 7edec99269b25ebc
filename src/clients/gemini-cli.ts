import {join} from 'node:path'

import type {ConfigDocument} from '../config/document.js'
import type {Platform} from '../host.js'
import {envPath, uniqueLocations} from './locations.js'
import {getIn, readServerMap, type ServerMapOptions, stringArray} from './server-map.js'
import type {ClientAdapter, ConfigLocation, ServerEntry} from './types.js'
import {commandArgs} from './rewrite.js'

// A bare `url` is SSE unless `type` says otherwise; `httpUrl` is streamable HTTP.
const OPTIONS: ServerMapOptions = {urlKeys: ['httpUrl', 'url'], untypedUrl: 'sse', trustKey: 'trust'}

/** System settings override the user's; system defaults sit below them. */
const SYSTEM: Record<Platform, {settings: string; defaults: string}> = {
  linux: {settings: '/etc/gemini-cli/settings.json', defaults: '/etc/gemini-cli/system-defaults.json'},
  darwin: {
    settings: '/Library/Application Support/GeminiCli/settings.json',
    defaults: '/Library/Application Support/GeminiCli/system-defaults.json',
  },
  win32: {
    settings: 'C:\\ProgramData\\gemini-cli\\settings.json',
    defaults: 'C:\\ProgramData\\gemini-cli\\system-defaults.json',
  },
}

export const geminiCli: ClientAdapter = {
  id: 'gemini-cli',
  name: 'Gemini CLI',
  machineConfigs(host) {
    const homes = [host.home, envPath(host, 'GEMINI_CLI_HOME')].filter((home): home is string => home !== undefined)
    const system = SYSTEM[host.platform]
    const systemFiles = [
      system.settings,
      envPath(host, 'GEMINI_CLI_SYSTEM_SETTINGS_PATH'),
      system.defaults,
      envPath(host, 'GEMINI_CLI_SYSTEM_DEFAULTS_PATH'),
    ].filter((path): path is string => path !== undefined)
    return uniqueLocations([
      ...homes.map((home): ConfigLocation => ({path: join(home, '.gemini', 'settings.json'), scope: 'user', format: 'jsonc'})),
      ...systemFiles.map((path): ConfigLocation => ({path, scope: 'system', format: 'jsonc'})),
      ...homes.map(
        (home): ConfigLocation => ({
          path: `${join(home, '.gemini', 'extensions')}/*/gemini-extension.json`,
          scope: 'extension',
          format: 'json',
        }),
      ),
    ])
  },
  projectConfigs: [{path: '.gemini/settings.json', format: 'jsonc'}],
  read(doc) {
    const switchedOff = excludedBy(doc)
    const servers = readServerMap(doc, ['mcpServers'], OPTIONS).map((entry): ServerEntry => {
      const included = stringArray(getIn(doc.value, [...entry.path, 'includeTools']))
      // `trust` skips confirmation only for the tools the server exposes, which includeTools narrows.
      const autoApprove = entry.autoApprove && included && included.length > 0 ? included : entry.autoApprove
      return {...entry, enabled: entry.enabled && !switchedOff(entry.name), ...(autoApprove && {autoApprove})}
    })
    return {servers}
  },
  rewrite: commandArgs({
    // Gemini's `type` names remote transports only.
    stdioType: null,
    remoteKeys: ['url', 'httpUrl', 'headers'],
    clientAuth: {oauth: "Gemini CLI runs this server's OAuth sign-in itself", authProviderType: 'Gemini CLI authenticates this server with its own provider'},
    trustGate: "Gemini CLI starts a project's servers only in a trusted folder: check the folder is still trusted",
  }),
  processNames: ['gemini', '@google/gemini-cli'],
}

/** `mcp.allowed`/`mcp.excluded` (earlier `allowMCPServers`/`excludeMCPServers`) filter servers by name. */
function excludedBy(doc: ConfigDocument): (name: string) => boolean {
  const excluded = new Set([
    ...(stringArray(getIn(doc.value, ['mcp', 'excluded'])) ?? []),
    ...(stringArray(getIn(doc.value, ['excludeMCPServers'])) ?? []),
  ])
  const allowed = stringArray(getIn(doc.value, ['mcp', 'allowed'])) ?? stringArray(getIn(doc.value, ['allowMCPServers']))
  return (name) => excluded.has(name) || (allowed !== undefined && !allowed.includes(name))
}
