import {join} from 'node:path'

import {readServerMap} from './server-map.js'
import type {ClientAdapter} from './types.js'
import {commandArgs} from './rewrite.js'

export const cursor: ClientAdapter = {
  id: 'cursor',
  name: 'Cursor',
  machineConfigs: (host) => [{path: join(host.home, '.cursor', 'mcp.json'), scope: 'user', format: 'json'}],
  projectConfigs: [{path: '.cursor/mcp.json', format: 'json'}],
  read: (doc) => ({servers: readServerMap(doc, ['mcpServers'])}),
  rewrite: commandArgs({clientAuth: {auth: "Cursor runs this server's OAuth sign-in itself"}}),
  processNames: ['cursor', 'Cursor', 'cursor-agent'],
}
