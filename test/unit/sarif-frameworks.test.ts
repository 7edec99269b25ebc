import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {discover} from '../../src/discovery/index.js'
import {toSarif} from '../../src/discovery/sarif.js'
import {hostFromEnv} from '../../src/host.js'
import {FIXTURES} from '../helpers/clients.js'
import {expectValidSarif} from '../helpers/sarif.js'

interface Result {
  ruleId: string
  ruleIndex: number
  locations: Array<{physicalLocation: {artifactLocation: {uri: string; uriBaseId?: string}; region?: {startLine: number}}}>
  properties: {framework?: string; repository?: string; transitive?: boolean}
}

describe('SARIF for frameworks', () => {
  it('carries one result per framework and repository, with one location per file that shows it', async () => {
    const root = join(FIXTURES, 'repos', 'frameworks')
    const inventory = await discover({host: hostFromEnv({HOME: '/nonexistent'}, 'linux'), machine: false, processes: false, repositories: [root]})
    const sarif = toSarif(inventory)
    expectValidSarif(sarif)
    const run = (sarif as unknown as {runs: Array<{results: Result[]; tool: {driver: {rules: Array<{id: string}>}}}>}).runs[0]
    const results = run.results.filter((r) => r.ruleId === 'agent-framework')
    expect(results).toHaveLength(inventory.repositories.reduce((n, r) => n + r.frameworks.length, 0))
    for (const result of results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe('agent-framework')

    const sdk = results.find((r) => r.properties.framework === 'mcp-sdk')
    const uris = sdk?.locations.map((l) => l.physicalLocation.artifactLocation.uri) ?? []
    const repo = inventory.repositories.find((r) => r.path === join(root, 'mcp-sdk'))
    const files = new Set(repo?.frameworks[0].evidence.map((e) => e.file))
    expect(uris).toHaveLength(files.size)
    expect(new Set(uris).size).toBe(uris.length)
    expect(uris).toEqual(expect.arrayContaining(['mcp-sdk/package.json', 'mcp-sdk/rust/src/main.rs', 'mcp-sdk/dotnet/Server.csproj']))
    for (const location of sdk?.locations ?? []) {
      expect(location.physicalLocation.artifactLocation.uriBaseId).toBe('SRCROOT')
      expect(location.physicalLocation.region?.startLine).toBeGreaterThan(0)
    }
  })
})
