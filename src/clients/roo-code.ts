import {join} from 'node:path'

import {VSCODE_FLAVOURS} from '../host.js'
import {readServerMap, type ServerMapOptions} from './server-map.js'
import type {ClientAdapter} from './types.js'
import {inUserDirs} from './vscode-family.js'
import {commandArgs} from './rewrite.js'

// Roo requires `type` on remote entries, so an untyped `url` is not a server it would connect to.
const OPTIONS: ServerMapOptions = {untypedUrl: 'unknown', disabledKey: 'disabled', autoApproveKeys: ['alwaysAllow']}

export const rooCode: ClientAdapter = {
  id: 'roo-code',
  name: 'Roo Code',
  machineConfigs: (host) =>
    inUserDirs(host, VSCODE_FLAVOURS, (dir) => [
      {path: join(dir, 'globalStorage', 'rooveterinaryinc.roo-cline', 'settings', 'mcp_settings.json'), scope: 'user', format: 'json'},
    ]),
  projectConfigs: [{path: '.roo/mcp.json', format: 'json'}],
  rewrite: commandArgs(),
  read: (doc) => ({servers: readServerMap(doc, ['mcpServers'], OPTIONS)}),
}
