import {describe, expect, it} from 'vitest'

import {zed} from '../../../src/clients/zed.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('zed adapter', () => {
  const {servers} = readFixture(zed, 'zed/settings.json', 'jsonc')
  const byName = (name: string) => servers.find((s) => s.name === name)!

  it('reads context_servers through comments and trailing commas, skipping non-objects', () => {
    expect(servers.map((s) => s.name)).toEqual(['postgres', 'legacy-git', 'switched-off', 'remote', 'from-extension'])
  })

  it('reads the flat command form', () => {
    const pg = byName('postgres')
    expect(pg).toMatchObject({transport: 'stdio', command: 'npx', line: 6, enabled: true, path: ['context_servers', 'postgres']})
    expect(pg.args).toEqual(['-y', '@modelcontextprotocol/server-postgres', 'postgres://localhost/db'])
    expect(Object.keys(pg.env ?? {})).toEqual(['PGPASSWORD'])
  })

  it('reads the legacy {path, args, env} command object', () => {
    const git = byName('legacy-git')
    expect(git).toMatchObject({transport: 'stdio', command: 'uvx', args: ['mcp-server-git'], line: 13})
    expect(git.env).toEqual({GIT_DIR: '/home/ana/repo/.git'})
    expect(git.path).toEqual(['context_servers', 'legacy-git'])
  })

  it('reads enabled: false, remote entries, and extension-provided servers without a launch', () => {
    expect(byName('switched-off')).toMatchObject({command: 'some-server', enabled: false})
    expect(byName('remote')).toMatchObject({transport: 'http', url: 'https://mcp.example.com/mcp', line: 23})
    expect(byName('remote').headers).toEqual({Authorization: 'Bearer ${API_TOKEN}'})
    const ext = byName('from-extension')
    expect(ext).toMatchObject({transport: 'unknown', enabled: true})
    expect(ext.command).toBeUndefined()
  })

  it('looks in the per-OS config dir', () => {
    const linux = zed.machineConfigs(hostFromEnv({HOME: '/home/ana', XDG_CONFIG_HOME: '/home/ana/.xdg'}, 'linux'))
    expect(linux).toEqual([
      {path: '/home/ana/.xdg/zed/settings.json', scope: 'user', format: 'jsonc'},
      {path: '/home/ana/.var/app/dev.zed.Zed/config/zed/settings.json', scope: 'user', format: 'jsonc', uncertain: true},
    ])
    // macOS ignores XDG_CONFIG_HOME.
    const darwin = zed.machineConfigs(hostFromEnv({HOME: '/Users/ana', XDG_CONFIG_HOME: '/Users/ana/.xdg'}, 'darwin'))
    expect(darwin).toEqual([{path: '/Users/ana/.config/zed/settings.json', scope: 'user', format: 'jsonc'}])
    const win = zed.machineConfigs(hostFromEnv({HOME: 'C:/Users/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, 'win32'))
    expect(win).toEqual([{path: 'C:/Users/ana/AppData/Roaming/Zed/settings.json', scope: 'user', format: 'jsonc', uncertain: true}])
    expect(zed.projectConfigs).toEqual([{path: '.zed/settings.json', format: 'jsonc'}])
    expect(zed.processNames).toContain('zed')
  })
})
