import {join} from 'node:path'

import {readServerMap, type ServerMapOptions} from './server-map.js'
import type {ClientAdapter} from './types.js'
import {commandArgs} from './rewrite.js'

const OPTIONS: ServerMapOptions = {urlKeys: ['serverUrl', 'url'], disabledKey: 'disabled'}

export const windsurf: ClientAdapter = {
  id: 'windsurf',
  name: 'Windsurf',
  machineConfigs: (host) => [
    {path: join(host.home, '.codeium', 'windsurf', 'mcp_config.json'), scope: 'user', format: 'json'},
    {path: join(host.home, '.codeium', 'windsurf-next', 'mcp_config.json'), scope: 'user', format: 'json', uncertain: true},
    // The Windsurf (Codeium) plugin for JetBrains IDEs.
    {path: join(host.home, '.codeium', 'mcp_config.json'), scope: 'user', format: 'json'},
  ],
  projectConfigs: [{path: '.windsurf/mcp.json', format: 'json'}],
  read: (doc) => ({servers: readServerMap(doc, ['mcpServers'], OPTIONS)}),
  rewrite: commandArgs({stdioType: null, remoteKeys: ['serverUrl', 'url', 'headers']}),
  processNames: ['windsurf', 'Windsurf'],
}
