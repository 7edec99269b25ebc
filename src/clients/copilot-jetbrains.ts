import {join} from 'node:path'

import {commandArgs} from './rewrite.js'
import {file, mcpServersClient} from './simple.js'

export const copilotJetbrains = mcpServersClient({
  id: 'copilot-jetbrains',
  name: 'GitHub Copilot for JetBrains',
  machine: (host) => {
    const root =
      host.platform === 'win32' ? host.env.LOCALAPPDATA || join(host.home, 'AppData', 'Local') : host.xdgConfig
    return [file(join(root, 'github-copilot', 'intellij', 'mcp.json'))]
  },
  key: 'servers',
  // VS Code's shape: `type: stdio`.
  rewrite: commandArgs(),
})
