import {describe, expect, it} from 'vitest'

import {kiro} from '../../../src/clients/kiro.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('kiro adapter', () => {
  it('reads disabled, autoApprove and remote entries, skipping non-objects', () => {
    const {servers} = readFixture(kiro, 'kiro/mcp.json', 'json')
    expect(servers.map((s) => s.name)).toEqual(['aws-docs', 'remote'])
    const [docs, remote] = servers
    expect(docs).toMatchObject({transport: 'stdio', command: 'uvx', enabled: true, line: 3, path: ['mcpServers', 'aws-docs']})
    expect(docs.args).toEqual(['awslabs.aws-documentation-mcp-server@latest'])
    expect(Object.keys(docs.env ?? {})).toEqual(['FASTMCP_LOG_LEVEL'])
    expect(docs.autoApprove).toEqual(['read_documentation', 'search_documentation'])
    expect(remote).toMatchObject({transport: 'http', url: 'https://mcp.example.com/mcp', enabled: false, line: 11})
    expect(Object.keys(remote.headers ?? {})).toEqual(['Authorization'])
    expect(remote.autoApprove).toBeUndefined()
  })

  it('merges an agent file allowedTools with per-server autoApprove without duplicates', () => {
    const [files] = readFixture(kiro, 'kiro/agent.json', 'json').servers
    expect(files.autoApprove).toEqual(['read_file', 'list_*'])
  })

  it('looks under ~/.kiro on every OS', () => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      const host = hostFromEnv({HOME: '/home/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}, platform)
      expect(kiro.machineConfigs(host)).toEqual([
        {path: '/home/ana/.kiro/settings/mcp.json', scope: 'user', format: 'json'},
        {path: '/home/ana/.kiro/agents/*.json', scope: 'user', format: 'json'},
      ])
    }

    expect(kiro.projectConfigs.map((p) => p.path)).toEqual(['.kiro/settings/mcp.json', '.kiro/agents/*.json'])
  })
})
