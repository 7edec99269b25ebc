import {join} from 'node:path'

import {commandArgs} from './rewrite.js'
import {file, mcpServersClient} from './simple.js'

export const visualStudio = mcpServersClient({
  id: 'visual-studio',
  name: 'Visual Studio',
  // Visual Studio runs only on Windows.
  machine: (host) => (host.platform === 'win32' ? [file(join(host.home, '.mcp.json'))] : []),
  // Claude Code reads `mcpServers` from the same `.mcp.json`; each adapter reads only its own key.
  project: ['.mcp.json', '.vs/mcp.json'],
  key: 'servers',
  // VS Code's shape: `type: stdio`.
  rewrite: commandArgs(),
  processNames: ['devenv'],
})
