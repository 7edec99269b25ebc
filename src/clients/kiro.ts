import {join} from 'node:path'

import {readAgentFile} from './agent-tools.js'
import {file, mcpServersClient} from './simple.js'

export const kiro = mcpServersClient({
  id: 'kiro',
  name: 'Kiro',
  machine: (host) => [
    file(join(host.home, '.kiro', 'settings', 'mcp.json')),
    // Kiro CLI agents (Amazon Q CLI's successor) trust tools through allowedTools.
    file(join(host.home, '.kiro', 'agents', '*.json')),
  ],
  project: ['.kiro/settings/mcp.json', '.kiro/agents/*.json'],
  read: readAgentFile({disabledKey: 'disabled', autoApproveKeys: ['autoApprove']}),
  processNames: ['kiro', 'Kiro', 'kiro-cli'],
})
