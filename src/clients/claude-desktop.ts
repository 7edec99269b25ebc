import {join} from 'node:path'

import {appDataDir} from '../host.js'
import {envPath} from './locations.js'
import {readServerMap} from './server-map.js'
import type {ClientAdapter, ConfigLocation} from './types.js'
import {commandArgs} from './rewrite.js'

const FILE = 'claude_desktop_config.json'

export const claudeDesktop: ClientAdapter = {
  id: 'claude-desktop',
  name: 'Claude Desktop',
  machineConfigs(host) {
    const main: ConfigLocation = {path: join(appDataDir(host, 'Claude'), FILE), scope: 'user', format: 'json'}
    if (host.platform === 'linux') return [{...main, uncertain: true}]
    if (host.platform === 'darwin') return [main]
    // The Microsoft Store (MSIX) build sees %APPDATA% through a per-package redirect.
    const localAppData = envPath(host, 'LOCALAPPDATA') ?? join(host.home, 'AppData', 'Local')
    const store = `${join(localAppData, 'Packages')}/Claude_*/LocalCache/Roaming/Claude/${FILE}`
    return [main, {path: store, scope: 'user', format: 'json', uncertain: true}]
  },
  projectConfigs: [],
  read: (doc) => ({servers: readServerMap(doc, ['mcpServers'])}),
  // Its stdio entries carry no `type`.
  rewrite: commandArgs({stdioType: null}),
  processNames: ['Claude', 'claude-desktop'],
}
