import {join} from 'node:path'

import {readAgentFile} from './agent-tools.js'
import {file, mcpServersClient} from './simple.js'

export const amazonQ = mcpServersClient({
  id: 'amazon-q',
  name: 'Amazon Q Developer',
  machine: (host) => {
    const dir = join(host.home, '.aws', 'amazonq')
    return [
      file(join(dir, 'cli-agents', '*.json')),
      // Still read by agents with `useLegacyMcpJson`, the built-in default agent among them.
      file(join(dir, 'mcp.json')),
      // The IDE plugins' agent.
      file(join(dir, 'agents', 'default.json')),
    ]
  },
  project: ['.amazonq/mcp.json', '.amazonq/cli-agents/*.json'],
  read: readAgentFile({disabledKey: 'disabled'}),
  processNames: ['q', 'qchat'],
})
