import {describe, expect, it} from 'vitest'

import {claudeDesktop} from '../../../src/clients/claude-desktop.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('claude-desktop adapter', () => {
  it('reads stdio entries under mcpServers and skips null and array entries', () => {
    const {servers, facts} = readFixture(claudeDesktop, 'claude-desktop/claude_desktop_config.json', 'json')
    expect(facts).toBeUndefined()
    expect(servers.map((s) => s.name)).toEqual(['filesystem', 'sqlite'])
    const [fs, sqlite] = servers
    expect(fs).toMatchObject({transport: 'stdio', command: 'npx', enabled: true, line: 3, path: ['mcpServers', 'filesystem']})
    expect(fs.args).toEqual(['-y', '@modelcontextprotocol/server-filesystem', '/Users/ana/Desktop'])
    expect(Object.keys(fs.env ?? {})).toEqual(['DEBUG', 'GITHUB_TOKEN'])
    expect(fs.env?.GITHUB_TOKEN).toBe('${GITHUB_TOKEN}')
    expect(fs.scope).toBeUndefined()
    expect(sqlite).toMatchObject({command: 'uvx', args: ['mcp-server-sqlite', '--db-path', '/tmp/test.db'], line: 9})
  })

  it('looks in the per-OS app data dir, marking the unofficial Linux build as a guess', () => {
    const file = 'claude_desktop_config.json'
    const linux = hostFromEnv({HOME: '/home/ana'}, 'linux')
    expect(claudeDesktop.machineConfigs(linux)).toEqual([
      {path: `/home/ana/.config/Claude/${file}`, scope: 'user', format: 'json', uncertain: true},
      {path: '/home/ana/.config/Claude/Claude Extensions/*/manifest.json', scope: 'extension', format: 'json', uncertain: true},
    ])
    const xdg = hostFromEnv({HOME: '/home/ana', XDG_CONFIG_HOME: '/home/ana/.xdg'}, 'linux')
    expect(claudeDesktop.machineConfigs(xdg)[0].path).toBe(`/home/ana/.xdg/Claude/${file}`)

    const darwin = hostFromEnv({HOME: '/Users/ana'}, 'darwin')
    expect(claudeDesktop.machineConfigs(darwin)).toEqual([
      {path: `/Users/ana/Library/Application Support/Claude/${file}`, scope: 'user', format: 'json'},
      {path: '/Users/ana/Library/Application Support/Claude/Claude Extensions/*/manifest.json', scope: 'extension', format: 'json'},
    ])

    const win = hostFromEnv({HOME: 'C:/Users/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, 'win32')
    expect(claudeDesktop.machineConfigs(win)).toEqual([
      {path: `C:/Users/ana/AppData/Roaming/Claude/${file}`, scope: 'user', format: 'json'},
      {
        path: `C:/Users/ana/AppData/Local/Packages/Claude_*/LocalCache/Roaming/Claude/${file}`,
        scope: 'user',
        format: 'json',
        uncertain: true,
      },
      {path: 'C:/Users/ana/AppData/Roaming/Claude/Claude Extensions/*/manifest.json', scope: 'extension', format: 'json'},
    ])
  })

  it('reads the one server an installed extension manifest launches', () => {
    const {servers} = readFixture(claudeDesktop, 'claude-desktop/extension-manifest.json', 'json', 'extension')
    expect(servers).toEqual([
      {
        name: 'notes-search',
        path: ['server', 'mcp_config'],
        transport: 'stdio',
        enabled: true,
        line: 10,
        command: 'node',
        args: ['${__dirname}/server/index.js', '--root', '${user_config.notes_dir}'],
        env: {NOTES_TOKEN: '${user_config.token}'},
      },
    ])
    expect(readFixture(claudeDesktop, 'claude-code/plugin.json', 'json', 'extension').servers).toEqual([])
  })

  it('has no project files and is recognised by its app process', () => {
    expect(claudeDesktop.projectConfigs).toEqual([])
    expect(claudeDesktop.processNames).toContain('Claude')
    expect(claudeDesktop.processNames).not.toContain('claude')
  })
})
