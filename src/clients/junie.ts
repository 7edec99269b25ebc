import {join} from 'node:path'

import {file, mcpServersClient} from './simple.js'

export const junie = mcpServersClient({
  id: 'junie',
  name: 'Junie',
  machine: (host) => [file(join(host.home, '.junie', 'mcp', 'mcp.json'), {uncertain: true})],
  project: ['.junie/mcp/mcp.json'],
  processNames: ['junie'],
})
