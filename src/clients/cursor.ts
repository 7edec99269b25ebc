import {join} from 'node:path'

import {readServerMap} from './server-map.js'
import type {ClientAdapter} from './types.js'

export const cursor: ClientAdapter = {
  id: 'cursor',
  name: 'Cursor',
  machineConfigs: (host) => [{path: join(host.home, '.cursor', 'mcp.json'), scope: 'user', format: 'json'}],
  projectConfigs: [{path: '.cursor/mcp.json', format: 'json'}],
  read: (doc) => ({servers: readServerMap(doc, ['mcpServers'])}),
  processNames: ['cursor', 'Cursor', 'cursor-agent'],
}
