import {describe, expect, it} from 'vitest'

import {vscode} from '../../../src/clients/vscode.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('vscode adapter', () => {
  it('reads mcp.json servers through comments and trailing commas, ignoring inputs', () => {
    const {servers} = readFixture(vscode, 'vscode/mcp.json', 'jsonc')
    expect(servers.map((s) => s.name)).toEqual(['memory', 'github', 'legacy-sse', 'fetch'])
    const [memory, github, sse, fetch] = servers
    expect(memory).toMatchObject({transport: 'stdio', command: 'npx', enabled: true, line: 8, path: ['servers', 'memory']})
    expect(memory.args).toEqual(['-y', '@modelcontextprotocol/server-memory'])
    expect(Object.keys(memory.env ?? {})).toEqual(['MEMORY_FILE', 'TOKEN'])
    expect(memory.env?.TOKEN).toBe('${input:token}')
    expect(github).toMatchObject({transport: 'http', url: 'https://api.githubcopilot.com/mcp/', line: 15})
    expect(github.headers).toEqual({Authorization: 'Bearer ${input:token}'})
    expect(sse).toMatchObject({transport: 'sse', url: 'http://localhost:3001/sse', line: 20})
    expect(fetch).toMatchObject({transport: 'stdio', command: 'uvx', args: ['mcp-server-fetch'], line: 21})
  })

  it('reads the legacy "mcp" block in settings.json at its exact path', () => {
    const {servers} = readFixture(vscode, 'vscode/settings.json', 'jsonc')
    expect(servers.map((s) => [s.name, s.transport, s.line])).toEqual([
      ['time', 'stdio', 7],
      ['remote', 'http', 8],
    ])
    expect(servers[0].path).toEqual(['mcp', 'servers', 'time'])
    expect(servers[0].args).toEqual(['mcp-server-time', '--local-timezone=Europe/Lisbon'])
    expect(Object.keys(servers[1].headers ?? {})).toEqual(['X-Api-Key'])
  })

  it('reads servers from a devcontainer`s vscode customizations', () => {
    const {servers} = readFixture(vscode, 'vscode/devcontainer.json', 'jsonc', 'project')
    expect(servers).toHaveLength(1)
    expect(servers[0]).toMatchObject({name: 'playwright', command: 'npx', transport: 'stdio', line: 10})
    expect(servers[0].path).toEqual(['customizations', 'vscode', 'mcp', 'servers', 'playwright'])
  })

  it('claims .vscode/mcp.json and devcontainer files in a repository, never .mcp.json', () => {
    const paths = vscode.projectConfigs.map((p) => p.path)
    expect(paths).toEqual(expect.arrayContaining(['.vscode/mcp.json', '.devcontainer/devcontainer.json']))
    expect(paths).not.toContain('.mcp.json')
    expect(vscode.projectConfigs.every((p) => p.format === 'jsonc')).toBe(true)
  })

  it('covers Code, Insiders and VSCodium user dirs per OS, not Cursor or Windsurf', () => {
    const linux = vscode.machineConfigs(hostFromEnv({HOME: '/home/ana'}, 'linux'))
    const certain = linux.filter((l) => !l.uncertain).map((l) => l.path)
    expect(certain).toEqual([
      '/home/ana/.config/Code/User/mcp.json',
      '/home/ana/.config/Code/User/settings.json',
      '/home/ana/.config/Code - Insiders/User/mcp.json',
      '/home/ana/.config/Code - Insiders/User/settings.json',
      '/home/ana/.config/VSCodium/User/mcp.json',
      '/home/ana/.config/VSCodium/User/settings.json',
    ])
    expect(linux).toContainEqual({path: '/home/ana/.config/Code/User/profiles/*/mcp.json', scope: 'user', format: 'jsonc', uncertain: true})
    expect(linux).toContainEqual({path: '/home/ana/.vscode-server/data/User/mcp.json', scope: 'user', format: 'jsonc', uncertain: true})
    expect(linux.every((l) => l.scope === 'user' && l.format === 'jsonc')).toBe(true)
    expect(linux.some((l) => /cursor|windsurf/i.test(l.path))).toBe(false)

    const darwin = vscode.machineConfigs(hostFromEnv({HOME: '/Users/ana'}, 'darwin')).map((l) => l.path)
    expect(darwin).toContain('/Users/ana/Library/Application Support/Code/User/mcp.json')
    expect(darwin).toContain('/Users/ana/Library/Application Support/Code - Insiders/User/settings.json')

    const win = vscode.machineConfigs(hostFromEnv({HOME: 'C:/Users/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, 'win32')).map((l) => l.path)
    expect(win).toContain('C:/Users/ana/AppData/Roaming/Code/User/mcp.json')
    expect(win).toContain('C:/Users/ana/AppData/Roaming/VSCodium/User/profiles/*/mcp.json')
  })

  it('is recognised by the code executables', () => {
    expect(vscode.name).toBe('VS Code / Copilot')
    expect(vscode.processNames).toEqual(expect.arrayContaining(['code', 'code-insiders', 'codium']))
  })
})
