import {describe, expect, it} from 'vitest'

import {rooCode} from '../../../src/clients/roo-code.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

const STORAGE = 'globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json'

describe('roo-code adapter', () => {
  const {servers} = readFixture(rooCode, 'roo-code/mcp_settings.json', 'json')
  const byName = (name: string) => servers.find((s) => s.name === name)!

  it('reads entries and skips non-objects', () => {
    expect(servers.map((s) => s.name)).toEqual(['filesystem', 'stream', 'events', 'untyped'])
  })

  it('takes alwaysAllow as auto-approved tools', () => {
    const fs = byName('filesystem')
    expect(fs).toMatchObject({transport: 'stdio', command: 'npx', cwd: '/home/ana', line: 3, enabled: true})
    expect(fs.autoApprove).toEqual(['read_file', 'list_directory'])
    expect(fs.path).toEqual(['mcpServers', 'filesystem'])
  })

  it('reads typed remote entries and leaves an untyped url unresolved', () => {
    expect(byName('stream')).toMatchObject({transport: 'http', url: 'https://example.com/mcp', line: 10})
    expect(Object.keys(byName('stream').headers ?? {})).toEqual(['X-API-Key'])
    expect(byName('events')).toMatchObject({transport: 'sse', enabled: false})
    expect(byName('untyped')).toMatchObject({transport: 'unknown', url: 'https://example.com/nope'})
  })

  it('looks in every VS Code fork`s extension storage and in .roo/mcp.json', () => {
    const linux = rooCode.machineConfigs(hostFromEnv({HOME: '/home/ana'}, 'linux'))
    expect(linux.filter((l) => !l.uncertain)).toEqual(
      ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf', 'Trae'].map((flavour) => ({
        path: `/home/ana/.config/${flavour}/User/${STORAGE}`,
        scope: 'user',
        format: 'json',
      })),
    )
    const darwin = rooCode.machineConfigs(hostFromEnv({HOME: '/Users/ana'}, 'darwin')).map((l) => l.path)
    expect(darwin[0]).toBe(`/Users/ana/Library/Application Support/Code/User/${STORAGE}`)
    const win = rooCode.machineConfigs(hostFromEnv({HOME: 'C:/Users/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, 'win32')).map((l) => l.path)
    expect(win[0]).toBe(`C:/Users/ana/AppData/Roaming/Code/User/${STORAGE}`)

    expect(rooCode.projectConfigs).toEqual([{path: '.roo/mcp.json', format: 'json'}])
    expect(rooCode.processNames).toBeUndefined()
  })
})
