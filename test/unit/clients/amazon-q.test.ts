import {describe, expect, it} from 'vitest'

import {amazonQ} from '../../../src/clients/amazon-q.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('amazon-q adapter', () => {
  it('reads an agent file and skips entries that are not objects', () => {
    const {servers} = readFixture(amazonQ, 'amazon-q/dev.json', 'json')
    expect(servers.map((s) => s.name)).toEqual(['git', 'git-hub', 'fetch', 'aws-docs'])
    expect(servers.map((s) => s.path)).toEqual([
      ['mcpServers', 'git'],
      ['mcpServers', 'git-hub'],
      ['mcpServers', 'fetch'],
      ['mcpServers', 'aws-docs'],
    ])
    expect(servers.map((s) => s.line)).toEqual([5, 6, 7, 8])
    expect(servers[0]).toMatchObject({transport: 'stdio', command: 'uvx', args: ['mcp-server-git'], enabled: true})
    expect(Object.keys(servers[1].env ?? {})).toEqual(['GITHUB_TOKEN'])
    expect(servers[2].enabled).toBe(false)
    expect(servers[3]).toMatchObject({transport: 'http', url: 'https://docs.example.com/mcp'})
  })

  it('turns allowedTools into per-server auto-approval, globs and whole servers included', () => {
    const byName = Object.fromEntries(readFixture(amazonQ, 'amazon-q/dev.json', 'json').servers.map((s) => [s.name, s.autoApprove]))
    // `@git/…` names tools of git only; `@git-*` is a server glob that git itself does not match.
    expect(byName.git).toEqual(['git_status', 'git_log'])
    expect(byName['git-hub']).toEqual(['read_*'])
    expect(byName.fetch).toEqual(['*'])
    // A `*` may match nothing; a `.` in a server name is literal.
    expect(byName['aws-docs']).toEqual(['*', 'search'])
  })

  it('leaves autoApprove unset without allowedTools (legacy mcp.json)', () => {
    const {servers} = readFixture(amazonQ, 'amazon-q/mcp.json', 'json')
    expect(servers).toHaveLength(1)
    expect(servers[0].autoApprove).toBeUndefined()
  })

  it('looks at agents, the legacy file and the IDE agent under ~/.aws/amazonq on every OS', () => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      const host = hostFromEnv({HOME: '/home/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, platform)
      expect(amazonQ.machineConfigs(host)).toEqual([
        {path: '/home/ana/.aws/amazonq/cli-agents/*.json', scope: 'user', format: 'json'},
        {path: '/home/ana/.aws/amazonq/mcp.json', scope: 'user', format: 'json'},
        {path: '/home/ana/.aws/amazonq/agents/default.json', scope: 'user', format: 'json'},
      ])
    }
  })

  it('claims its project files and never .mcp.json', () => {
    expect(amazonQ.projectConfigs.map((p) => p.path)).toEqual(['.amazonq/mcp.json', '.amazonq/cli-agents/*.json'])
    expect(amazonQ.processNames).toContain('q')
  })
})
