import {describe, expect, it} from 'vitest'

import {cline} from '../../../src/clients/cline.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

const FILE = 'cline_mcp_settings.json'

describe('cline adapter', () => {
  const {servers} = readFixture(cline, 'cline/cline_mcp_settings.json', 'json')

  it('reads stdio entries with their auto-approved tools and skips non-objects', () => {
    expect(servers.map((s) => s.name)).toEqual(['weather', 'old-sse', 'streaming'])
    const weather = servers[0]
    expect(weather).toMatchObject({transport: 'stdio', command: 'node', enabled: true, line: 3, path: ['mcpServers', 'weather']})
    expect(weather.autoApprove).toEqual(['get_forecast', 'get_alerts'])
    expect(Object.keys(weather.env ?? {})).toEqual(['OPENWEATHER_API_KEY'])
  })

  it('reads an untyped url as SSE and streamableHttp as HTTP', () => {
    expect(servers[1]).toMatchObject({transport: 'sse', url: 'https://example.com/sse', enabled: true})
    expect(servers[1].headers).toEqual({Authorization: 'Bearer ${TOKEN}'})
    expect(servers[2]).toMatchObject({transport: 'http', url: 'https://example.com/mcp', enabled: false})
  })

  it('looks in ~/.cline and in every VS Code fork`s legacy storage', () => {
    const linux = cline.machineConfigs(hostFromEnv({HOME: '/home/ana'}, 'linux'))
    expect(linux[0]).toEqual({path: `/home/ana/.cline/data/settings/${FILE}`, scope: 'user', format: 'json'})
    const certain = linux.filter((l) => !l.uncertain).map((l) => l.path)
    for (const flavour of ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf', 'Trae']) {
      expect(certain).toContain(`/home/ana/.config/${flavour}/User/globalStorage/saoudrizwan.claude-dev/settings/${FILE}`)
    }

    expect(linux).toContainEqual({
      path: `/home/ana/.vscode-server/data/User/globalStorage/saoudrizwan.claude-dev/settings/${FILE}`,
      scope: 'user',
      format: 'json',
      uncertain: true,
    })

    const darwin = cline.machineConfigs(hostFromEnv({HOME: '/Users/ana'}, 'darwin')).map((l) => l.path)
    expect(darwin).toContain(`/Users/ana/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/${FILE}`)

    const win = cline.machineConfigs(hostFromEnv({HOME: 'C:/Users/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, 'win32')).map((l) => l.path)
    expect(win[0]).toBe(`C:/Users/ana/.cline/data/settings/${FILE}`)
    expect(win).toContain(`C:/Users/ana/AppData/Roaming/Cursor/User/globalStorage/saoudrizwan.claude-dev/settings/${FILE}`)
  })

  it('honours CLINE_DIR, CLINE_DATA_DIR and CLINE_MCP_SETTINGS_PATH without repeating the default', () => {
    const env = {
      HOME: '/home/ana',
      CLINE_DIR: '/home/ana/.cline',
      CLINE_DATA_DIR: '/data/cline',
      CLINE_MCP_SETTINGS_PATH: '/etc/team/mcp.json',
    }
    const paths = cline.machineConfigs(hostFromEnv(env, 'linux')).map((l) => l.path)
    expect(paths.slice(0, 3)).toEqual([`/home/ana/.cline/data/settings/${FILE}`, `/data/cline/settings/${FILE}`, '/etc/team/mcp.json'])
    expect(new Set(paths).size).toBe(paths.length)
  })

  it('is an extension: no project files and no process of its own', () => {
    expect(cline.projectConfigs).toEqual([])
    expect(cline.processNames).toBeUndefined()
  })
})
