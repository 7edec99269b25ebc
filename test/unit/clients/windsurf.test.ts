import {describe, expect, it} from 'vitest'

import {windsurf} from '../../../src/clients/windsurf.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('windsurf adapter', () => {
  const {servers} = readFixture(windsurf, 'windsurf/mcp_config.json', 'json')

  it('reads stdio, serverUrl and url entries and skips non-objects', () => {
    expect(servers.map((s) => s.name)).toEqual(['git', 'figma', 'plain-url', 'off'])
    expect(servers[0]).toMatchObject({transport: 'stdio', command: 'uvx', args: ['mcp-server-git'], line: 3, enabled: true})
    expect(Object.keys(servers[0].env ?? {})).toEqual(['GIT_AUTHOR'])
  })

  it('takes serverUrl as the remote URL, falling back to url', () => {
    const figma = servers[1]
    expect(figma).toMatchObject({transport: 'http', url: 'https://mcp.figma.com/mcp', line: 4, path: ['mcpServers', 'figma']})
    expect(figma.headers).toEqual({Authorization: 'Bearer ${env:FIGMA_TOKEN}'})
    expect(servers[2]).toMatchObject({transport: 'sse', url: 'https://example.com/sse'})
  })

  it('reads disabled entries as switched off', () => {
    expect(servers[3]).toMatchObject({name: 'off', enabled: false, command: 'npx'})
    expect(servers[3].autoApprove).toBeUndefined()
  })

  it('looks in the Windsurf and JetBrains plugin files on every OS', () => {
    for (const [platform, home] of [['linux', '/home/ana'], ['darwin', '/Users/ana'], ['win32', 'C:/Users/ana']]) {
      const locations = windsurf.machineConfigs(hostFromEnv({HOME: home, APPDATA: 'C:/Users/ana/AppData/Roaming'}, platform))
      expect(locations).toEqual([
        {path: `${home}/.codeium/windsurf/mcp_config.json`, scope: 'user', format: 'json'},
        {path: `${home}/.codeium/windsurf-next/mcp_config.json`, scope: 'user', format: 'json', uncertain: true},
        {path: `${home}/.codeium/mcp_config.json`, scope: 'user', format: 'json'},
      ])
    }

    expect(windsurf.projectConfigs).toEqual([{path: '.windsurf/mcp.json', format: 'json'}])
  })
})
