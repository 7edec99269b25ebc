import {join} from 'node:path'

import type {ConfigDocument} from '../config/document.js'
import {getIn, isRecord, readServerObject, stringArray} from './server-map.js'
import {file} from './simple.js'
import type {ClientAdapter, ServerEntry} from './types.js'


/** Extension types that run inside Goose or its UI rather than as an MCP server. */
const IN_PROCESS = new Set(['builtin', 'platform', 'frontend'])

export const goose: ClientAdapter = {
  id: 'goose',
  name: 'Goose',
  machineConfigs: (host) => [
    host.platform === 'win32'
      ? file(join(host.appData, 'Block', 'goose', 'config', 'config.yaml'))
      : file(join(host.xdgConfig, 'goose', 'config.yaml')),
  ],
  projectConfigs: [],
  read: (doc) => ({servers: readExtensions(doc)}),
  rewrite: {launch: 'cmd-args', stdioType: 'stdio', remoteKeys: ['uri', 'headers']},
  processNames: ['goose', 'goosed'],
}

function readExtensions(doc: ConfigDocument): ServerEntry[] {
  const extensions = getIn(doc.value, ['extensions'])
  if (!isRecord(extensions)) return []
  const servers: ServerEntry[] = []
  for (const [key, raw] of Object.entries(extensions)) {
    if (!isRecord(raw) || (typeof raw.type === 'string' && IN_PROCESS.has(raw.type))) continue
    // Goose's own key names, mapped onto the common shape.
    const shape = {type: raw.type, command: raw.cmd, args: raw.args, env: raw.envs, url: raw.uri, headers: raw.headers, enabled: raw.enabled}
    const entry = readServerObject(key, shape, ['extensions', key], doc, {enabledKey: 'enabled'})
    const passthrough = stringArray(raw.env_keys)
    if (passthrough && passthrough.length > 0) entry.envPassthrough = passthrough
    servers.push(entry)
  }

  return servers
}
