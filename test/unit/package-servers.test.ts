import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {discover} from '../../src/discovery/index.js'
import type {Inventory} from '../../src/discovery/types.js'
import {hostFromEnv} from '../../src/host.js'
import {FIXTURES} from '../helpers/clients.js'
import {tempDir, writeTree} from '../helpers/tree.js'

const fixture = (file: string) => readFileSync(join(FIXTURES, 'clients', file), 'utf8')

describe('servers that clients load from installed packages', () => {
  let home: {path: string; cleanup: () => void}
  let inventory: Inventory

  beforeAll(async () => {
    home = tempDir('agentgov-packages-')
    writeTree(home.path, {
      // Claude Code: a plugin from a marketplace, installed into the versioned cache.
      '.claude/plugins/cache/acme/release-tools/0.4.0/.claude-plugin/plugin.json': fixture('claude-code/plugin.json'),
      '.claude/plugins/cache/acme/db-tools/1.0.0/.mcp.json': fixture('claude-code/plugin-wrapped.mcp.json'),
      // Claude Desktop: an installed .mcpb extension, unpacked by the app.
      '.config/Claude/Claude Extensions/ant.dir.example.notes-search/manifest.json': fixture('claude-desktop/extension-manifest.json'),
    })
    inventory = await discover({host: hostFromEnv({HOME: home.path}, 'linux'), machine: true, processes: false, repositories: []})
  })

  afterAll(() => home.cleanup())

  it('reports each with its client, extension scope and the file that declares it', () => {
    const rows = inventory.servers.map((s) => [s.client, s.scope, s.name, s.file.slice(home.path.length + 1)]).sort()
    expect(rows).toEqual([
      ['claude-code', 'extension', 'changelog', '.claude/plugins/cache/acme/release-tools/0.4.0/.claude-plugin/plugin.json'],
      ['claude-code', 'extension', 'plugin-db', '.claude/plugins/cache/acme/db-tools/1.0.0/.mcp.json'],
      ['claude-code', 'extension', 'tracker', '.claude/plugins/cache/acme/release-tools/0.4.0/.claude-plugin/plugin.json'],
      ['claude-desktop', 'extension', 'notes-search', '.config/Claude/Claude Extensions/ant.dir.example.notes-search/manifest.json'],
    ])
    const notes = inventory.servers.find((s) => s.name === 'notes-search')
    expect(notes).toMatchObject({transport: 'stdio', command: 'node', envNames: ['NOTES_TOKEN'], governance: 'shadow'})
    expect(inventory.clients.map((c) => c.id).sort()).toEqual(['claude-code', 'claude-desktop'])
  })
})
