import {join} from 'node:path'

import {appDataDir} from '../host.js'
import type {ConfigDocument} from '../config/document.js'
import {envPath} from './locations.js'
import {getIn, isRecord, readServerMap, readServerObject} from './server-map.js'
import type {ClientAdapter, ConfigLocation, ServerEntry} from './types.js'
import {commandArgs} from './rewrite.js'

const FILE = 'claude_desktop_config.json'
/** Installed desktop extensions (.mcpb, formerly .dxt) are unpacked here, one folder each. */
const EXTENSIONS = 'Claude Extensions'

export const claudeDesktop: ClientAdapter = {
  id: 'claude-desktop',
  name: 'Claude Desktop',
  machineConfigs(host) {
    const appDir = appDataDir(host, 'Claude')
    const main: ConfigLocation = {path: join(appDir, FILE), scope: 'user', format: 'json'}
    const extensions: ConfigLocation = {path: `${join(appDir, EXTENSIONS)}/*/manifest.json`, scope: 'extension', format: 'json'}
    if (host.platform === 'linux') return [{...main, uncertain: true}, {...extensions, uncertain: true}]
    if (host.platform === 'darwin') return [main, extensions]
    // The Microsoft Store (MSIX) build sees %APPDATA% through a per-package redirect.
    const localAppData = envPath(host, 'LOCALAPPDATA') ?? join(host.home, 'AppData', 'Local')
    const store = `${join(localAppData, 'Packages')}/Claude_*/LocalCache/Roaming/Claude/${FILE}`
    return [main, {path: store, scope: 'user', format: 'json', uncertain: true}, extensions]
  },
  projectConfigs: [],
  read: (doc, location) => ({servers: location.scope === 'extension' ? extensionServer(doc) : readServerMap(doc, ['mcpServers'])}),
  // Its stdio entries carry no `type`.
  rewrite: commandArgs({stdioType: null}),
  processNames: ['Claude', 'claude-desktop'],
}

/**
 * An extension's manifest.json names one server: `server.mcp_config` is the launch (command, args,
 * env, with `${__dirname}` and `${user_config.*}` left for the app to expand).
 */
function extensionServer(doc: ConfigDocument): ServerEntry[] {
  const launch = getIn(doc.value, ['server', 'mcp_config'])
  if (!isRecord(launch)) return []
  const name = getIn(doc.value, ['name'])
  return [readServerObject(typeof name === 'string' && name !== '' ? name : 'extension', launch, ['server', 'mcp_config'], doc)]
}
