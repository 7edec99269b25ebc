import {join} from 'node:path'

import type {ConfigDocument} from '../config/document.js'
import {envPath, uniqueLocations} from './locations.js'
import {getIn, isRecord, readServerObject, stringArray} from './server-map.js'
import {file, projectFiles} from './simple.js'
import type {ClientAdapter, ServerEntry} from './types.js'


export const opencode: ClientAdapter = {
  id: 'opencode',
  name: 'OpenCode',
  machineConfigs: (host) => {
    // OpenCode follows XDG on every OS, Windows included; both names accept comments.
    const dir = join(host.xdgConfig, 'opencode')
    const locations = [
      file(join(dir, 'opencode.json'), {format: 'jsonc'}),
      file(join(dir, 'opencode.jsonc'), {format: 'jsonc'}),
    ]
    const override = envPath(host, 'OPENCODE_CONFIG')
    if (override) locations.push(file(override, {format: 'jsonc'}))
    return uniqueLocations(locations)
  },
  projectConfigs: projectFiles(['opencode.json', 'opencode.jsonc'], 'jsonc'),
  read: (doc) => ({servers: readMcp(doc)}),
  // Its schema rejects unknown keys: a local entry gets exactly `type`, `command` and what it had.
  rewrite: {
    launch: 'argv',
    stdioType: 'local',
    remoteKeys: ['url', 'headers', 'oauth'],
    clientAuth: {oauth: "OpenCode runs this server's OAuth sign-in itself"},
  },
  processNames: ['opencode'],
}

function readMcp(doc: ConfigDocument): ServerEntry[] {
  const map = getIn(doc.value, ['mcp'])
  if (!isRecord(map)) return []
  const servers: ServerEntry[] = []
  for (const [name, raw] of Object.entries(map)) {
    if (!isRecord(raw)) continue
    // A local server's `command` is the whole argv.
    const argv = typeof raw.command === 'string' ? [raw.command] : (stringArray(raw.command) ?? [])
    const shape = {
      type: raw.type,
      command: argv[0],
      args: argv.length > 0 ? argv.slice(1) : undefined,
      env: raw.environment,
      url: raw.url,
      headers: raw.headers,
      enabled: raw.enabled,
    }
    servers.push(readServerObject(name, shape, ['mcp', name], doc, {enabledKey: 'enabled'}))
  }

  return servers
}
