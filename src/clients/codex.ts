import {join} from 'node:path'

import type {ConfigDocument} from '../config/document.js'
import {envPath, uniqueLocations} from './locations.js'
import {getIn, isRecord, readServerObject, stringArray, stringRecord} from './server-map.js'
import {file, projectFiles} from './simple.js'
import type {ClientAdapter, ReadResult, ServerEntry} from './types.js'
import {commandArgs} from './rewrite.js'

export const codex: ClientAdapter = {
  id: 'codex',
  name: 'Codex CLI',
  machineConfigs: (host) => {
    const homes = [join(host.home, '.codex'), envPath(host, 'CODEX_HOME')].filter((dir): dir is string => dir !== undefined)
    const locations = homes.flatMap((home) => [
      file(join(home, 'config.toml')),
      file(join(home, 'requirements.toml'), {scope: 'managed'}),
      // An admin overlay of config keys, mcp_servers included, in Codex's source but not its docs.
      ...(host.platform === 'win32' ? [file(join(home, 'managed_config.toml'), {scope: 'managed', uncertain: true})] : []),
    ])
    if (host.platform !== 'win32') {
      locations.push(
        file('/etc/codex/config.toml', {scope: 'system'}),
        file('/etc/codex/requirements.toml', {scope: 'managed'}),
        file('/etc/codex/managed_config.toml', {scope: 'managed', uncertain: true}),
      )
    }

    return uniqueLocations(locations)
  },
  projectConfigs: projectFiles(['.codex/config.toml']),
  read: (doc, location) => (/(^|[\\/])requirements\.toml$/.test(location.path) ? readRequirements(doc) : readConfig(doc)),
  rewrite: commandArgs({
    stdioType: null,
    remoteKeys: ['url', 'http_headers'],
    clientAuth: {
      bearer_token_env_var: 'Codex reads its bearer token from its own environment and expands no variables in a launch',
      env_http_headers: 'Codex reads these headers from its own environment and expands no variables in a launch',
    },
    trustGate: 'Codex reads a project .codex/config.toml only for a trusted project: check it is still trusted',
  }),
  processNames: ['codex'],
}

function readConfig(doc: ConfigDocument): ReadResult {
  const map = getIn(doc.value, ['mcp_servers'])
  if (!isRecord(map)) return {servers: []}
  const servers: ServerEntry[] = []
  for (const [name, raw] of Object.entries(map)) {
    if (!isRecord(raw)) continue
    const entry = readServerObject(name, raw, ['mcp_servers', name], doc, {headersKeys: ['http_headers'], enabledKey: 'enabled'})
    // Codex reads these variables from its own environment to build the launch or the request.
    const passthrough = stringArray(raw.env_vars) ?? []
    const headers: Record<string, string> = {}
    if (typeof raw.bearer_token_env_var === 'string') {
      passthrough.push(raw.bearer_token_env_var)
      headers.Authorization = `Bearer \${${raw.bearer_token_env_var}}`
    }

    for (const [header, variable] of Object.entries(stringRecord(raw.env_http_headers) ?? {})) {
      passthrough.push(variable)
      // Written as a reference, so secret detection sees a variable and not a literal value.
      headers[header] = `\${${variable}}`
    }

    if (Object.keys(headers).length > 0) entry.headers = {...entry.headers, ...headers}
    if (passthrough.length > 0) entry.envPassthrough = [...new Set(passthrough)]
    servers.push(entry)
  }

  return {servers}
}

/**
 * An admin's requirements.toml: a `[mcp_servers.<name>.identity]` table per allowed server with
 * the literal `command` or `url` it must have. Every other server, or one whose command no longer
 * matches (as after wrap), is disabled by Codex. An empty table allows none.
 */
function readRequirements(doc: ConfigDocument): ReadResult {
  const map = getIn(doc.value, ['mcp_servers'])
  if (!isRecord(map)) return {servers: []}
  const names = Object.keys(map)
  const description =
    names.length === 0
      ? 'Codex requirements.toml allows no MCP servers: every configured server is disabled'
      : `Codex requirements.toml allows only ${names.join(', ')}, each by its literal command or URL: a rewritten launch no longer matches and Codex disables it`
  const line = names.length === 0 ? doc.lineOf(['mcp_servers']) : doc.lineOf(['mcp_servers', names[0], 'identity'])
  return {servers: [], facts: {allowList: line === undefined ? {description} : {line, description}}}
}
