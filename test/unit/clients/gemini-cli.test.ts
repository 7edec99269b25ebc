import {describe, expect, it} from 'vitest'

import {geminiCli} from '../../../src/clients/gemini-cli.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('gemini-cli adapter', () => {
  describe('settings.json', () => {
    const {servers} = readFixture(geminiCli, 'gemini-cli/settings.json', 'jsonc')
    const byName = (name: string) => servers.find((s) => s.name === name)!

    it('reads mcpServers through comments and trailing commas, skipping non-objects', () => {
      expect(servers.map((s) => s.name)).toEqual(['python-tools', 'narrow', 'streamer', 'legacy', 'typed'])
    })

    it('reads stdio entries with cwd and env, and numeric args as strings', () => {
      const python = byName('python-tools')
      expect(python).toMatchObject({transport: 'stdio', command: 'python', cwd: './mcp-servers/python', line: 6})
      expect(python.args).toEqual(['-m', 'my_mcp_server', '--port', '8080'])
      expect(Object.keys(python.env ?? {})).toEqual(['DATABASE_URL', 'API_KEY'])
      expect(python.path).toEqual(['mcpServers', 'python-tools'])
    })

    it('turns trust into auto-approval, narrowed by includeTools', () => {
      expect(byName('python-tools').autoApprove).toEqual(['*'])
      expect(byName('narrow').autoApprove).toEqual(['safe_tool', 'file_reader'])
      expect(byName('typed').autoApprove).toBeUndefined()
      expect(byName('streamer').autoApprove).toBeUndefined()
    })

    it('reads httpUrl as streamable HTTP, a bare url as SSE and a typed url by its type', () => {
      expect(byName('streamer')).toMatchObject({transport: 'http', url: 'https://api.example.com/mcp/'})
      expect(Object.keys(byName('streamer').headers ?? {})).toEqual(['Authorization'])
      expect(byName('legacy')).toMatchObject({transport: 'sse', url: 'http://localhost:8080/sse'})
      expect(byName('typed')).toMatchObject({transport: 'http', url: 'https://api.example.com/mcp'})
    })

    it('switches off servers named in mcp.excluded', () => {
      expect(byName('legacy').enabled).toBe(false)
      expect(servers.filter((s) => s.enabled).map((s) => s.name)).toEqual(['python-tools', 'narrow', 'streamer', 'typed'])
    })
  })

  it('switches off servers left out of mcp.allowed', () => {
    const {servers} = readFixture(geminiCli, 'gemini-cli/allowed.json', 'jsonc')
    expect(servers.map((s) => [s.name, s.enabled])).toEqual([
      ['kept', true],
      ['dropped', false],
    ])
  })

  it('reads an extension manifest`s servers', () => {
    const {servers} = readFixture(geminiCli, 'gemini-cli/gemini-extension.json', 'json', 'extension')
    expect(servers).toHaveLength(1)
    expect(servers[0]).toMatchObject({name: 'nodeServer', transport: 'stdio', command: 'node', cwd: '${extensionPath}', line: 5})
    expect(servers[0].scope).toBeUndefined()
  })

  it('lists user, system and extension files per OS', () => {
    expect(geminiCli.machineConfigs(hostFromEnv({HOME: '/home/ana'}, 'linux'))).toEqual([
      {path: '/home/ana/.gemini/settings.json', scope: 'user', format: 'jsonc'},
      {path: '/etc/gemini-cli/settings.json', scope: 'system', format: 'jsonc'},
      {path: '/etc/gemini-cli/system-defaults.json', scope: 'system', format: 'jsonc'},
      {path: '/home/ana/.gemini/extensions/*/gemini-extension.json', scope: 'extension', format: 'json'},
    ])

    const darwin = geminiCli.machineConfigs(hostFromEnv({HOME: '/Users/ana'}, 'darwin')).map((l) => l.path)
    expect(darwin).toContain('/Library/Application Support/GeminiCli/settings.json')
    expect(darwin).toContain('/Users/ana/.gemini/settings.json')

    const win = geminiCli.machineConfigs(hostFromEnv({HOME: 'C:/Users/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, 'win32'))
    expect(win.filter((l) => l.scope === 'system').map((l) => l.path)).toEqual([
      'C:\\ProgramData\\gemini-cli\\settings.json',
      'C:\\ProgramData\\gemini-cli\\system-defaults.json',
    ])
    expect(win.map((l) => l.path)).toContain('C:/Users/ana/.gemini/extensions/*/gemini-extension.json')
  })

  it('adds env overrides for the home and system files', () => {
    const host = hostFromEnv(
      {HOME: '/home/ana', GEMINI_CLI_HOME: '/work/gem', GEMINI_CLI_SYSTEM_SETTINGS_PATH: '/opt/gemini/system.json'},
      'linux',
    )
    const paths = geminiCli.machineConfigs(host).map((l) => l.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/home/ana/.gemini/settings.json',
        '/work/gem/.gemini/settings.json',
        '/opt/gemini/system.json',
        '/work/gem/.gemini/extensions/*/gemini-extension.json',
      ]),
    )
    expect(geminiCli.projectConfigs).toEqual([{path: '.gemini/settings.json', format: 'jsonc'}])
  })
})
