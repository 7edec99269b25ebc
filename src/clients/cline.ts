import {join} from 'node:path'

import {VSCODE_FLAVOURS} from '../host.js'
import {envPath, uniqueLocations} from './locations.js'
import {readServerMap, type ServerMapOptions} from './server-map.js'
import type {ClientAdapter, ConfigLocation} from './types.js'
import {inUserDirs} from './vscode-family.js'
import {commandArgs} from './rewrite.js'

const FILE = 'cline_mcp_settings.json'

const OPTIONS: ServerMapOptions = {untypedUrl: 'sse', disabledKey: 'disabled', autoApproveKeys: ['autoApprove']}

export const cline: ClientAdapter = {
  id: 'cline',
  name: 'Cline',
  machineConfigs(host) {
    const clineDir = envPath(host, 'CLINE_DIR')
    const dataDir = envPath(host, 'CLINE_DATA_DIR')
    const explicit = envPath(host, 'CLINE_MCP_SETTINGS_PATH')
    const user = (path: string): ConfigLocation => ({path, scope: 'user', format: 'json'})
    return uniqueLocations([
      user(join(host.home, '.cline', 'data', 'settings', FILE)),
      ...(clineDir ? [user(join(clineDir, 'data', 'settings', FILE))] : []),
      ...(dataDir ? [user(join(dataDir, 'settings', FILE))] : []),
      ...(explicit ? [user(explicit)] : []),
      // Before the shared ~/.cline location, each VS Code fork kept its own copy (migrated on start).
      ...inUserDirs(host, VSCODE_FLAVOURS, (dir) => [user(join(dir, 'globalStorage', 'saoudrizwan.claude-dev', 'settings', FILE))]),
    ])
  },
  projectConfigs: [],
  rewrite: commandArgs(),
  read: (doc) => ({servers: readServerMap(doc, ['mcpServers'], OPTIONS)}),
}
