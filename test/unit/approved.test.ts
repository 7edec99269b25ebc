import {describe, expect, it} from 'vitest'

import {isApproved, parseApproved} from '../../src/discovery/approved.js'
import type {ServerRecord} from '../../src/discovery/types.js'
import {AgentgovError} from '../../src/errors.js'

const server = (over: Partial<ServerRecord>): ServerRecord => ({
  id: 'x',
  client: 'cursor',
  scope: 'user',
  file: '/f',
  name: 'github',
  transport: 'stdio',
  envNames: [],
  headerNames: [],
  enabled: true,
  governance: 'shadow',
  duplicates: [],
  ...over,
})

describe('approved inventory', () => {
  const inventory = {
    file: 'approved.yaml',
    entries: parseApproved(
      'servers:\n  - name: github\n    clients: [cursor]\n  - url: "https://mcp.linear.app/*"\n  - package: "@modelcontextprotocol/server-*"\n    note: ok\n',
      'approved.yaml',
    ),
  }

  it('matches by name and client, URL glob and package glob', () => {
    expect(isApproved(server({}), inventory)).toBe(true)
    expect(isApproved(server({client: 'vscode'}), inventory)).toBe(false)
    expect(isApproved(server({name: 'linear', url: 'https://mcp.linear.app/mcp'}), inventory)).toBe(true)
    expect(isApproved(server({name: 'linear', url: 'https://evil.example/mcp.linear.app/mcp'}), inventory)).toBe(false)
    expect(isApproved(server({name: 'fs', package: {ecosystem: 'npm', name: '@modelcontextprotocol/server-filesystem', pinned: false}}), inventory)).toBe(true)
    expect(isApproved(server({name: 'fs', package: {ecosystem: 'npm', name: 'server-filesystem', pinned: false}}), inventory)).toBe(false)
    expect(isApproved(server({}), undefined)).toBe(false)
  })

  it('rejects entries that would match nothing or anything, naming the line', () => {
    expect(() => parseApproved('servers:\n  - name: a\n  - clients: [cursor]\n', 'f.yaml')).toThrow(/f\.yaml:3: an entry needs at least one of/)
    expect(() => parseApproved('servers:\n  - nme: a\n', 'f.yaml')).toThrow(/unknown field "nme"/)
    expect(() => parseApproved('servers: github\n', 'f.yaml')).toThrow(AgentgovError)
    expect(() => parseApproved('servers: [\n', 'f.yaml')).toThrow(/not valid YAML/)
    expect(parseApproved('', 'f.yaml')).toEqual([])
  })
})
