import {describe, expect, it} from 'vitest'

import {opencode} from '../../../src/clients/opencode.js'
import {parseConfig} from '../../../src/config/document.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('opencode adapter', () => {
  it('reads the mcp map from JSONC and skips entries that are not objects', () => {
    const {servers} = readFixture(opencode, 'opencode/opencode.jsonc', 'jsonc')
    expect(servers.map((s) => s.name)).toEqual(['everything', 'context7', 'single'])
    expect(servers.map((s) => s.path)).toEqual([
      ['mcp', 'everything'],
      ['mcp', 'context7'],
      ['mcp', 'single'],
    ])
    expect(servers.map((s) => s.line)).toEqual([5, 11, 18])
  })

  it('splits a local command array into command and args and keeps {env:X} tokens', () => {
    const [everything, , single] = readFixture(opencode, 'opencode/opencode.jsonc', 'jsonc').servers
    expect(everything).toMatchObject({transport: 'stdio', command: 'npx', enabled: true})
    expect(everything.args).toEqual(['-y', '@modelcontextprotocol/server-everything'])
    expect(everything.env).toEqual({EVERYTHING_KEY: '{env:EVERYTHING_KEY}', MODE: 'full'})
    expect(single).toMatchObject({transport: 'stdio', command: 'my-mcp', args: []})
  })

  it('reads a disabled remote server with headers', () => {
    const context7 = readFixture(opencode, 'opencode/opencode.jsonc', 'jsonc').servers[1]
    expect(context7).toMatchObject({transport: 'http', url: 'https://mcp.context7.com/mcp', enabled: false})
    expect(Object.keys(context7.headers ?? {})).toEqual(['CONTEXT7_API_KEY'])
    expect(context7.command).toBeUndefined()
  })

  it('does not throw on odd documents', () => {
    const texts = ['{}', '{"mcp": []}', '{"mcp": {"a": {"type": "local", "command": [1, {}]}}}']
    const read = texts.map((text) => opencode.read(parseConfig(text, 'jsonc'), {path: '/x.json', scope: 'user', format: 'jsonc'}))
    expect(read[0].servers).toEqual([])
    expect(read[1].servers).toEqual([])
    expect(read[2].servers[0]).toMatchObject({name: 'a', command: '1', args: []})
  })

  it('looks under XDG config on every OS and at OPENCODE_CONFIG', () => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      const host = hostFromEnv({HOME: '/home/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, platform)
      expect(opencode.machineConfigs(host)).toEqual([
        {path: '/home/ana/.config/opencode/opencode.json', scope: 'user', format: 'jsonc'},
        {path: '/home/ana/.config/opencode/opencode.jsonc', scope: 'user', format: 'jsonc'},
      ])
    }

    const host = hostFromEnv({HOME: '/home/ana', XDG_CONFIG_HOME: '/xdg', OPENCODE_CONFIG: '/work/oc.json'}, 'linux')
    expect(opencode.machineConfigs(host).map((l) => l.path)).toEqual([
      '/xdg/opencode/opencode.json',
      '/xdg/opencode/opencode.jsonc',
      '/work/oc.json',
    ])
  })

  it('claims opencode.json[c] at a repository root', () => {
    expect(opencode.projectConfigs).toEqual([
      {path: 'opencode.json', format: 'jsonc'},
      {path: 'opencode.jsonc', format: 'jsonc'},
    ])
  })
})
