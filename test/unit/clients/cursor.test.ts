import {describe, expect, it} from 'vitest'

import {cursor} from '../../../src/clients/cursor.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('cursor adapter', () => {
  it('reads stdio and remote entries and skips entries that are not objects', () => {
    const {servers} = readFixture(cursor, 'cursor/mcp.json', 'json')
    expect(servers.map((s) => s.name)).toEqual(['filesystem', 'linear'])
    const [fs, linear] = servers
    expect(fs).toMatchObject({transport: 'stdio', command: 'npx', line: 3, enabled: true})
    expect(fs.args).toEqual(['-y', '@modelcontextprotocol/server-filesystem', '${userHome}/projects'])
    expect(fs.path).toEqual(['mcpServers', 'filesystem'])
    expect(linear).toMatchObject({transport: 'http', url: 'https://mcp.linear.app/mcp', line: 10})
    expect(Object.keys(linear.headers ?? {})).toEqual(['Authorization'])
  })

  it('looks in ~/.cursor/mcp.json on every OS', () => {
    for (const platform of ['linux', 'darwin', 'win32']) {
      const host = hostFromEnv({HOME: '/home/ana'}, platform)
      expect(cursor.machineConfigs(host)).toEqual([{path: '/home/ana/.cursor/mcp.json', scope: 'user', format: 'json'}])
    }
  })
})
