import {join} from 'node:path'

import type {ConfigDocument} from '../config/document.js'
import {envPath, uniqueLocations} from './locations.js'
import {getIn, isRecord, readServerMap, readServerObject, type ServerMapOptions} from './server-map.js'
import {file, projectFiles} from './simple.js'
import type {ClientAdapter, ServerEntry} from './types.js'
import {commandArgs} from './rewrite.js'

const OPTIONS: ServerMapOptions = {headersKeys: ['headers', 'requestOptions.headers']}
const BLOCK_FILES = ['*.yaml', '*.yml', '*.json']

export const continueDev: ClientAdapter = {
  id: 'continue',
  name: 'Continue',
  machineConfigs: (host) => {
    const dirs = [join(host.home, '.continue'), envPath(host, 'CONTINUE_GLOBAL_DIR')].filter((dir): dir is string => dir !== undefined)
    return uniqueLocations(
      dirs.flatMap((dir) => [
        file(join(dir, 'config.yaml')),
        // Block folders are documented for workspaces; that ~/.continue has one too is unconfirmed.
        ...BLOCK_FILES.map((glob) => file(join(dir, 'mcpServers', glob), {uncertain: true})),
      ]),
    )
  },
  projectConfigs: projectFiles(BLOCK_FILES.map((glob) => `.continue/mcpServers/${glob}`)),
  rewrite: commandArgs({remoteKeys: ['url', 'headers', 'requestOptions']}),
  read: (doc) => ({servers: readContinue(doc)}),
}

/**
 * Continue's own files hold `mcpServers` as a list of `{name, …}`; JSON files dropped into a
 * `mcpServers/` folder are often copied from Claude or Cursor and hold a name-keyed map instead.
 */
function readContinue(doc: ConfigDocument): ServerEntry[] {
  const servers = getIn(doc.value, ['mcpServers'])
  if (isRecord(servers)) return readServerMap(doc, ['mcpServers'], OPTIONS)
  if (!Array.isArray(servers)) return []
  return servers.flatMap((raw: unknown, index) => {
    if (!isRecord(raw)) return []
    // `uses: owner/block` pulls a server from the Continue hub: report it under that reference.
    const name = typeof raw.name === 'string' ? raw.name : typeof raw.uses === 'string' ? raw.uses : undefined
    return name === undefined ? [] : [readServerObject(name, raw, ['mcpServers', index], doc, OPTIONS)]
  })
}
