import {join} from 'node:path'

import {appDataDir} from '../host.js'
import {file, mcpServersClient} from './simple.js'

export const trae = mcpServersClient({
  id: 'trae',
  name: 'Trae',
  machine: (host) => [file(join(appDataDir(host, 'Trae'), 'User', 'mcp.json'), {uncertain: true})],
  project: ['.trae/mcp.json'],
  processNames: ['trae', 'Trae'],
})
