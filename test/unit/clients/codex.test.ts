import {describe, expect, it} from 'vitest'

import {codex} from '../../../src/clients/codex.js'
import {parseConfig} from '../../../src/config/document.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('codex adapter', () => {
  it('reads [mcp_servers.<name>] tables, quoted names included, and skips values that are not tables', () => {
    const {servers, facts} = readFixture(codex, 'codex/config.toml', 'toml')
    expect(facts).toBeUndefined()
    expect(servers.map((s) => s.name)).toEqual(['context7', 'my server', 'figma'])
    expect(servers.map((s) => s.path)).toEqual([
      ['mcp_servers', 'context7'],
      ['mcp_servers', 'my server'],
      ['mcp_servers', 'figma'],
    ])
    expect(servers.map((s) => s.line)).toEqual([9, 18, 23])
  })

  it('reads a stdio server with env and forwarded env_vars', () => {
    const [context7] = readFixture(codex, 'codex/config.toml', 'toml').servers
    expect(context7).toMatchObject({transport: 'stdio', command: 'npx', enabled: true})
    expect(context7.args).toEqual(['-y', '@upstash/context7-mcp@1.0.0'])
    expect(Object.keys(context7.env ?? {})).toEqual(['CONTEXT7_API_KEY'])
    expect(context7.envPassthrough).toEqual(['HTTPS_PROXY', 'CONTEXT7_REGION'])
    expect(context7.headers).toBeUndefined()
  })

  it('honours enabled = false and cwd', () => {
    const mine = readFixture(codex, 'codex/config.toml', 'toml').servers[1]
    expect(mine).toMatchObject({transport: 'stdio', command: '/usr/local/bin/my-server', cwd: '/srv/my', enabled: false})
  })

  it('reads a streamable HTTP server with static, env-sourced and bearer headers', () => {
    const figma = readFixture(codex, 'codex/config.toml', 'toml').servers[2]
    expect(figma).toMatchObject({transport: 'http', url: 'https://mcp.figma.com/mcp', enabled: true})
    expect(figma.command).toBeUndefined()
    expect(Object.keys(figma.headers ?? {}).sort()).toEqual(['Authorization', 'X-Api-Key', 'X-Team'])
    // Env-sourced values stay references, so they are not mistaken for literal secrets.
    expect(figma.headers?.['X-Api-Key']).toBe('${FIGMA_API_KEY}')
    expect(figma.headers?.['X-Team']).toBe('design')
    expect(figma.envPassthrough).toEqual(['FIGMA_OAUTH_TOKEN', 'FIGMA_API_KEY'])
  })

  it('reports an admin requirements.toml allow-list as a fact, not as servers', () => {
    const {servers, facts} = readFixture(codex, 'codex/requirements.toml', 'toml', 'managed')
    expect(servers).toEqual([])
    expect(facts?.allowList?.line).toBe(3)
    expect(facts?.allowList?.description).toContain('docs, remote')
    expect(facts?.allowList?.description).toMatch(/literal command or URL/)
  })

  it('reports an empty allow-list as allowing no servers', () => {
    const {facts} = readFixture(codex, 'codex/empty/requirements.toml', 'toml', 'managed')
    expect(facts?.allowList).toEqual({line: 3, description: expect.stringContaining('allows no MCP servers')})
  })

  it('has no allow-list fact when requirements.toml does not restrict MCP servers', () => {
    const doc = parseConfig('allowed_sandbox_modes = ["read-only"]\n', 'toml')
    expect(codex.read(doc, {path: '/etc/codex/requirements.toml', scope: 'managed', format: 'toml'})).toEqual({servers: []})
  })

  it('reads mcp_servers in a config.toml even when it sits beside a requirements file', () => {
    const doc = parseConfig('[mcp_servers.a]\ncommand = "a"\n', 'toml')
    const {servers, facts} = codex.read(doc, {path: 'C:\\Users\\ana\\.codex\\config.toml', scope: 'user', format: 'toml'})
    expect(servers.map((s) => s.name)).toEqual(['a'])
    expect(facts).toBeUndefined()
  })

  it('does not throw on odd documents', () => {
    for (const text of ['', 'mcp_servers = 3', 'mcp_servers = ["a"]']) {
      expect(codex.read(parseConfig(text, 'toml'), {path: '/x/config.toml', scope: 'user', format: 'toml'}).servers).toEqual([])
    }
  })

  it('finds user, system and managed files on Linux and macOS', () => {
    for (const platform of ['linux', 'darwin']) {
      const locations = codex.machineConfigs(hostFromEnv({HOME: '/home/ana'}, platform))
      expect(locations).toEqual([
        {path: '/home/ana/.codex/config.toml', scope: 'user', format: 'toml'},
        {path: '/home/ana/.codex/requirements.toml', scope: 'managed', format: 'toml'},
        {path: '/etc/codex/config.toml', scope: 'system', format: 'toml'},
        {path: '/etc/codex/requirements.toml', scope: 'managed', format: 'toml'},
        {path: '/etc/codex/managed_config.toml', scope: 'managed', format: 'toml', uncertain: true},
      ])
    }
  })

  it('scans CODEX_HOME besides ~/.codex, and has no /etc files on Windows', () => {
    const host = hostFromEnv({HOME: '/home/ana', APPDATA: 'C:/Users/ana/AppData/Roaming', CODEX_HOME: '/opt/codex'}, 'win32')
    expect(codex.machineConfigs(host)).toEqual([
      {path: '/home/ana/.codex/config.toml', scope: 'user', format: 'toml'},
      {path: '/home/ana/.codex/requirements.toml', scope: 'managed', format: 'toml'},
      {path: '/home/ana/.codex/managed_config.toml', scope: 'managed', format: 'toml', uncertain: true},
      {path: '/opt/codex/config.toml', scope: 'user', format: 'toml'},
      {path: '/opt/codex/requirements.toml', scope: 'managed', format: 'toml'},
      {path: '/opt/codex/managed_config.toml', scope: 'managed', format: 'toml', uncertain: true},
    ])
    // CODEX_HOME naming the default adds nothing.
    const same = hostFromEnv({HOME: '/home/ana', CODEX_HOME: '/home/ana/.codex'}, 'linux')
    expect(codex.machineConfigs(same)).toHaveLength(5)
  })

  it('claims only its own project file', () => {
    expect(codex.projectConfigs).toEqual([{path: '.codex/config.toml', format: 'toml'}])
    expect(codex.processNames).toContain('codex')
  })
})
