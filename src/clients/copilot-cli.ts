import {join} from 'node:path'

import {envPath, uniqueLocations} from './locations.js'
import {commandArgs} from './rewrite.js'
import {file, mcpServersClient} from './simple.js'

export const copilotCli = mcpServersClient({
  id: 'copilot-cli',
  name: 'GitHub Copilot CLI',
  machine: (host) => {
    const locations = [file(join(host.home, '.copilot', 'mcp-config.json'))]
    const copilotHome = envPath(host, 'COPILOT_HOME')
    if (copilotHome) locations.push(file(join(copilotHome, 'mcp-config.json')))
    // GitHub's docs say XDG_CONFIG_HOME relocates the file, but users report the CLI ignoring it.
    const xdg = envPath(host, 'XDG_CONFIG_HOME')
    if (xdg) locations.push(file(join(xdg, '.copilot', 'mcp-config.json'), {uncertain: true}))
    return uniqueLocations(locations)
  },
  // Weakly evidenced. The CLI also reads `.mcp.json` and `.vscode/mcp.json`, whose owners report them.
  project: ['.github/mcp.json'],
  processNames: ['copilot'],
  rewrite: commandArgs({stdioType: 'local'}),
})
