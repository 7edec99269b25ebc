import {describe, expect, it} from 'vitest'

import {continueDev} from '../../../src/clients/continue.js'
import {parseConfig} from '../../../src/config/document.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('continue adapter', () => {
  it('reads the mcpServers list by index and skips items that are not objects or have no name', () => {
    const {servers} = readFixture(continueDev, 'continue/config.yaml', 'yaml')
    expect(servers.map((s) => s.name)).toEqual(['sqlite', 'remote-docs', 'anthropic/github-mcp', 'events'])
    expect(servers.map((s) => s.path)).toEqual([
      ['mcpServers', 0],
      ['mcpServers', 1],
      ['mcpServers', 3],
      ['mcpServers', 5],
    ])
    expect(servers.map((s) => s.line)).toEqual([9, 18, 25, 28])
  })

  it('reads a stdio entry with env and cwd', () => {
    const [sqlite] = readFixture(continueDev, 'continue/config.yaml', 'yaml').servers
    expect(sqlite).toMatchObject({transport: 'stdio', command: 'uvx', cwd: '/tmp/db', enabled: true})
    expect(sqlite.args).toEqual(['mcp-server-sqlite', '--db-path', './test.db'])
    expect(sqlite.env).toEqual({SQLITE_KEY: '${{ secrets.SQLITE_KEY }}'})
  })

  it('reads remote entries with requestOptions.headers and maps their types', () => {
    const {servers} = readFixture(continueDev, 'continue/config.yaml', 'yaml')
    const docs = servers[1]
    expect(docs).toMatchObject({transport: 'http', url: 'https://docs.example.com/mcp'})
    expect(Object.keys(docs.headers ?? {})).toEqual(['Authorization'])
    expect(servers[3]).toMatchObject({transport: 'sse', url: 'https://events.example.com/sse'})
    expect(servers[2]).toMatchObject({transport: 'unknown'})
  })

  it('reads a YAML block file from .continue/mcpServers/', () => {
    const {servers} = readFixture(continueDev, 'continue/mcpServers/playwright.yaml', 'yaml', 'project')
    expect(servers).toEqual([
      {
        name: 'Browser search',
        path: ['mcpServers', 0],
        transport: 'stdio',
        command: 'npx',
        args: ['@playwright/mcp@latest'],
        enabled: true,
        line: 5,
      },
    ])
  })

  it('reads a Claude-style JSON map dropped into .continue/mcpServers/', () => {
    const {servers} = readFixture(continueDev, 'continue/mcpServers/from-claude.json', 'json', 'project')
    expect(servers.map((s) => s.name)).toEqual(['memory'])
    expect(servers[0]).toMatchObject({transport: 'stdio', command: 'npx', path: ['mcpServers', 'memory'], line: 3})
    expect(Object.keys(servers[0].env ?? {})).toEqual(['MEMORY_FILE'])
  })

  it('does not throw on odd documents', () => {
    for (const text of ['', 'mcpServers: 3', 'mcpServers: [1, null, [2]]', '- a']) {
      expect(continueDev.read(parseConfig(text, 'yaml'), {path: '/x.yaml', scope: 'user', format: 'yaml'}).servers).toEqual([])
    }
  })

  it('looks in ~/.continue on every OS, and in CONTINUE_GLOBAL_DIR too', () => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      const host = hostFromEnv({HOME: '/home/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, platform)
      expect(continueDev.machineConfigs(host)).toEqual([
        {path: '/home/ana/.continue/config.yaml', scope: 'user', format: 'yaml'},
        {path: '/home/ana/.continue/mcpServers/*.yaml', scope: 'user', format: 'yaml', uncertain: true},
        {path: '/home/ana/.continue/mcpServers/*.yml', scope: 'user', format: 'yaml', uncertain: true},
        {path: '/home/ana/.continue/mcpServers/*.json', scope: 'user', format: 'json', uncertain: true},
      ])
    }

    const moved = continueDev.machineConfigs(hostFromEnv({HOME: '/home/ana', CONTINUE_GLOBAL_DIR: '/data/continue'}, 'linux'))
    expect(moved.map((l) => l.path)).toContain('/home/ana/.continue/config.yaml')
    expect(moved.map((l) => l.path)).toContain('/data/continue/config.yaml')
    expect(moved).toHaveLength(8)
  })

  it('claims the block folder in a repository', () => {
    expect(continueDev.projectConfigs).toEqual([
      {path: '.continue/mcpServers/*.yaml', format: 'yaml'},
      {path: '.continue/mcpServers/*.yml', format: 'yaml'},
      {path: '.continue/mcpServers/*.json', format: 'json'},
    ])
  })
})
