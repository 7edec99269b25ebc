import {describe, expect, it} from 'vitest'

import {claudeCode} from '../../../src/clients/claude-code.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('claude-code adapter', () => {
  describe('~/.claude.json', () => {
    const {servers, facts} = readFixture(claudeCode, 'claude-code/claude.json', 'json')
    const byName = (name: string) => servers.find((s) => s.name === name)!

    it('reads user-scope servers and then every project`s local servers, skipping non-objects', () => {
      expect(servers.map((s) => s.name)).toEqual(['github', 'sentry', 'asana', 'untyped', 'db', 'linear', 'socket'])
      expect(facts).toBeUndefined()
    })

    it('keeps user-scope entries at the file`s scope', () => {
      const github = byName('github')
      expect(github).toMatchObject({transport: 'stdio', command: 'npx', enabled: true, line: 4, path: ['mcpServers', 'github']})
      expect(github.args).toEqual(['-y', '@modelcontextprotocol/server-github'])
      expect(github.env).toEqual({GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN:-unset}'})
      expect(github.scope).toBeUndefined()
      expect(github.project).toBeUndefined()
    })

    it('maps remote types and does not guess a transport for an untyped url', () => {
      expect(byName('sentry')).toMatchObject({transport: 'http', url: 'https://mcp.sentry.dev/mcp', line: 10})
      expect(Object.keys(byName('sentry').headers ?? {})).toEqual(['Authorization'])
      expect(byName('asana')).toMatchObject({transport: 'sse', url: 'https://mcp.asana.com/sse'})
      expect(byName('untyped')).toMatchObject({transport: 'unknown', url: 'https://example.com/mcp'})
      expect(byName('linear').transport).toBe('http')
      expect(byName('socket')).toMatchObject({transport: 'ws', url: 'wss://example.com/mcp'})
    })

    it('marks projects entries local, with their project and exact path, disabled per project', () => {
      const db = byName('db')
      expect(db).toMatchObject({scope: 'local', project: '/home/ana/app', enabled: false, command: 'uvx', line: 23})
      expect(db.path).toEqual(['projects', '/home/ana/app', 'mcpServers', 'db'])
      expect(Object.keys(db.env ?? {})).toEqual(['DATABASE_URI'])
      expect(byName('linear')).toMatchObject({scope: 'local', project: '/home/ana/app', enabled: true, line: 24})
      expect(byName('socket')).toMatchObject({scope: 'local', project: '/home/ana/other', enabled: true})
      expect(byName('socket').path).toEqual(['projects', '/home/ana/other', 'mcpServers', 'socket'])
    })
  })

  it('reads a project .mcp.json at project scope', () => {
    const {servers} = readFixture(claudeCode, 'claude-code/mcp.json', 'json', 'project')
    expect(servers).toHaveLength(1)
    expect(servers[0]).toMatchObject({name: 'playwright', transport: 'stdio', command: 'npx', args: ['@playwright/mcp@0.0.41'], line: 3})
    expect(servers[0].scope).toBeUndefined()
    expect(claudeCode.projectConfigs).toEqual([{path: '.mcp.json', format: 'json'}])
  })

  it('reads plugin .mcp.json files both wrapped in mcpServers and as a bare map', () => {
    const wrapped = readFixture(claudeCode, 'claude-code/plugin-wrapped.mcp.json', 'json', 'extension').servers
    expect(wrapped.map((s) => [s.name, s.command, s.path])).toEqual([
      ['plugin-db', '${CLAUDE_PLUGIN_ROOT}/servers/db-server', ['mcpServers', 'plugin-db']],
    ])

    const bare = readFixture(claudeCode, 'claude-code/plugin-bare.mcp.json', 'json', 'extension').servers
    expect(bare.map((s) => s.name)).toEqual(['context7', 'docs'])
    expect(bare[0]).toMatchObject({transport: 'stdio', command: 'npx', path: ['context7'], line: 2})
    expect(bare[1]).toMatchObject({transport: 'http', url: 'https://docs.example.com/mcp', path: ['docs'], line: 3})
  })

  it('reads the servers a plugin declares inline in its plugin.json', () => {
    const {servers} = readFixture(claudeCode, 'claude-code/plugin.json', 'json', 'extension')
    expect(servers.map((s) => [s.name, s.transport, s.path])).toEqual([
      ['changelog', 'stdio', ['mcpServers', 'changelog']],
      ['tracker', 'http', ['mcpServers', 'tracker']],
    ])
    expect(servers[0]).toMatchObject({command: '${CLAUDE_PLUGIN_ROOT}/servers/changelog', args: ['--repo', '.'], line: 6})
  })

  it('reports a managed allow-list that matches literal commands or URLs', () => {
    const {servers, facts} = readFixture(claudeCode, 'claude-code/managed-mcp.json', 'json', 'managed')
    expect(servers.map((s) => [s.name, s.command, s.line])).toEqual([['company-tools', '/opt/company/bin/mcp-tools', 3]])
    expect(facts?.allowList?.line).toBe(5)
    expect(facts?.allowList?.description).toContain('2 command lines and 1 URL')
  })

  it('does not report an allow-list of names alone, nor a deny-list', () => {
    const {servers, facts} = readFixture(claudeCode, 'claude-code/managed-settings.json', 'json', 'managed')
    expect(servers).toEqual([])
    expect(facts).toBeUndefined()
  })

  it('lists user, managed and plugin files per OS', () => {
    const linux = claudeCode.machineConfigs(hostFromEnv({HOME: '/home/ana'}, 'linux'))
    expect(linux).toEqual([
      {path: '/home/ana/.claude.json', scope: 'user', format: 'json'},
      {path: '/etc/claude-code/managed-mcp.json', scope: 'managed', format: 'json'},
      {path: '/etc/claude-code/managed-settings.json', scope: 'managed', format: 'json'},
      {path: '/home/ana/.claude/plugins/**/.mcp.json', scope: 'extension', format: 'json'},
      {path: '/home/ana/.claude/plugins/**/.claude-plugin/plugin.json', scope: 'extension', format: 'json'},
    ])

    const darwin = claudeCode.machineConfigs(hostFromEnv({HOME: '/Users/ana'}, 'darwin')).map((l) => l.path)
    expect(darwin).toEqual([
      '/Users/ana/.claude.json',
      '/Library/Application Support/ClaudeCode/managed-mcp.json',
      '/Library/Application Support/ClaudeCode/managed-settings.json',
      '/Users/ana/.claude/plugins/**/.mcp.json',
      '/Users/ana/.claude/plugins/**/.claude-plugin/plugin.json',
    ])

    const win = claudeCode.machineConfigs(hostFromEnv({HOME: 'C:/Users/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, 'win32'))
    expect(win.filter((l) => l.scope === 'managed')).toEqual([
      {path: 'C:\\Program Files\\ClaudeCode\\managed-mcp.json', scope: 'managed', format: 'json'},
      {path: 'C:\\Program Files\\ClaudeCode\\managed-settings.json', scope: 'managed', format: 'json'},
      {path: 'C:\\ProgramData\\ClaudeCode\\managed-mcp.json', scope: 'managed', format: 'json', uncertain: true},
      {path: 'C:\\ProgramData\\ClaudeCode\\managed-settings.json', scope: 'managed', format: 'json', uncertain: true},
    ])
    expect(win.map((l) => l.path)).toContain('C:/Users/ana/.claude.json')
  })

  it('also looks under $CLAUDE_CONFIG_DIR, once when it names the default', () => {
    const moved = claudeCode.machineConfigs(hostFromEnv({HOME: '/home/ana', CLAUDE_CONFIG_DIR: '/srv/claude'}, 'linux'))
    expect(moved.map((l) => l.path)).toEqual(
      expect.arrayContaining(['/home/ana/.claude.json', '/srv/claude/.claude.json', '/srv/claude/plugins/**/.mcp.json']),
    )
    const same = claudeCode.machineConfigs(hostFromEnv({HOME: '/home/ana', CLAUDE_CONFIG_DIR: '/home/ana/.claude'}, 'linux'))
    const paths = same.map((l) => l.path)
    expect(paths.filter((p) => p === '/home/ana/.claude/plugins/**/.mcp.json')).toHaveLength(1)
    expect(new Set(paths).size).toBe(paths.length)
  })

  it('is recognised by the claude executable', () => {
    expect(claudeCode.processNames).toContain('claude')
  })
})
