import {join} from 'node:path'

import {commandArgs} from './rewrite.js'
import {file, mcpServersClient} from './simple.js'

export const antigravity = mcpServersClient({
  id: 'antigravity',
  name: 'Antigravity',
  machine: (host) => [
    file(join(host.home, '.gemini', 'antigravity', 'mcp_config.json'), {uncertain: true}),
    file(join(host.home, '.gemini', 'config', 'mcp_config.json'), {uncertain: true}),
  ],
  // A Windsurf descendant: remote servers may sit under Windsurf's `serverUrl`.
  options: {urlKeys: ['serverUrl', 'url'], disabledKey: 'disabled'},
  processNames: ['antigravity', 'Antigravity'],
  rewrite: commandArgs({stdioType: null, remoteKeys: ['serverUrl', 'url', 'headers']}),
})
