import {join} from 'node:path'

import {readServerMap, type ServerMapOptions} from './server-map.js'
import type {ClientAdapter, ConfigLocation} from './types.js'
import {commandArgs} from './rewrite.js'

const OPTIONS: ServerMapOptions = {enabledKey: 'enabled', commandObject: true}

export const zed: ClientAdapter = {
  id: 'zed',
  name: 'Zed',
  machineConfigs(host): ConfigLocation[] {
    switch (host.platform) {
      case 'darwin': {
        return [{path: join(host.home, '.config', 'zed', 'settings.json'), scope: 'user', format: 'jsonc'}]
      }

      case 'win32': {
        return [{path: join(host.appData, 'Zed', 'settings.json'), scope: 'user', format: 'jsonc', uncertain: true}]
      }

      default: {
        const flatpak = join(host.home, '.var', 'app', 'dev.zed.Zed', 'config', 'zed', 'settings.json')
        return [
          {path: join(host.xdgConfig, 'zed', 'settings.json'), scope: 'user', format: 'jsonc'},
          {path: flatpak, scope: 'user', format: 'jsonc', uncertain: true},
        ]
      }
    }
  },
  projectConfigs: [{path: '.zed/settings.json', format: 'jsonc'}],
  read: (doc) => ({servers: readServerMap(doc, ['context_servers'], OPTIONS)}),
  rewrite: commandArgs({
    stdioType: null,
    trustGate: "Zed starts a project's context servers only in a trusted worktree: it may ask again",
  }),
  processNames: ['zed', 'Zed', 'zed-editor', 'zeditor'],
}
