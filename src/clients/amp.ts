import {join} from 'node:path'

import {file, mcpServersClient} from './simple.js'

export const amp = mcpServersClient({
  id: 'amp',
  name: 'Amp',
  machine: (host) => [file(join(host.xdgConfig, 'amp', 'settings.json'), {uncertain: true})],
  // A literal key with a dot in it, not a nested path.
  key: 'amp.mcpServers',
  processNames: ['amp'],
})
