import {join} from 'node:path'

import type {DocPath} from '../config/document.js'
import {readServerMap} from './server-map.js'
import type {ClientAdapter} from './types.js'
import {inUserDirs, VSCODE_BUILDS} from './vscode-family.js'
import {commandArgs} from './rewrite.js'

/** mcp.json `servers`; settings.json before mcp.json existed; a devcontainer's customizations. */
const SERVER_MAPS: DocPath[] = [['servers'], ['mcp', 'servers'], ['customizations', 'vscode', 'mcp', 'servers']]

export const vscode: ClientAdapter = {
  id: 'vscode',
  name: 'VS Code / Copilot',
  machineConfigs: (host) =>
    inUserDirs(host, VSCODE_BUILDS, (dir) => [
      {path: join(dir, 'mcp.json'), scope: 'user', format: 'jsonc'},
      {path: join(dir, 'settings.json'), scope: 'user', format: 'jsonc'},
      {path: `${join(dir, 'profiles')}/*/mcp.json`, scope: 'user', format: 'jsonc', uncertain: true},
    ]),
  projectConfigs: [
    {path: '.vscode/mcp.json', format: 'jsonc'},
    {path: '.devcontainer/devcontainer.json', format: 'jsonc'},
    {path: '.devcontainer.json', format: 'jsonc'},
    {path: '.devcontainer/*/devcontainer.json', format: 'jsonc'},
  ],
  read: (doc) => ({servers: SERVER_MAPS.flatMap((path) => readServerMap(doc, path))}),
  rewrite: commandArgs(),
  processNames: ['code', 'Code', 'code-insiders', 'Code - Insiders', 'codium', 'VSCodium'],
}
