import {join} from 'node:path'

import {file, mcpServersClient} from './simple.js'

export const lmStudio = mcpServersClient({
  id: 'lm-studio',
  name: 'LM Studio',
  machine: (host) => [
    file(join(host.home, '.lmstudio', 'mcp.json')),
    file(join(host.home, '.cache', 'lm-studio', 'mcp.json'), {uncertain: true}),
  ],
  processNames: ['lms', 'LM Studio'],
})
