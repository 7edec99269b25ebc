import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {clientById} from '../../../src/clients/index.js'
import {readConfigFile} from '../../../src/discovery/read-config.js'
import {wrapWarnings} from '../../../src/wrap/warnings.js'
import {FIXTURES} from '../../helpers/clients.js'

describe('warnings before wrap writes', () => {
  const claude = clientById('claude-code')!
  const cursor = clientById('cursor')!

  it('names an admin allow-list of the same client that matches literal commands, and only that client', async () => {
    const managed = await readConfigFile(claude, {path: join(FIXTURES, 'clients', 'claude-code', 'managed-mcp.json'), scope: 'managed', format: 'json'})
    const target = (adapter = claude) => ({file: '/h/.claude.json', format: 'json' as const, readers: [{adapter, location: {path: '/h/.claude.json', scope: 'user' as const, format: 'json' as const}}]})
    const warnings = wrapWarnings([target()], [managed!])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({file: managed!.location.path, line: 5, message: expect.stringMatching(/allowedMcpServers matches 2 command lines and 1 URL/)})
    expect(wrapWarnings([target(cursor)], [managed!])).toEqual([])
  })

  it('says a trust-gated project file may ask for approval again', () => {
    const file = '/repo/.mcp.json'
    const warnings = wrapWarnings([{file, format: 'json', readers: [{adapter: claude, location: {path: file, scope: 'project', format: 'json'}}]}], [])
    expect(warnings).toEqual([{file, message: expect.stringMatching(/approve/)}])
  })
})
