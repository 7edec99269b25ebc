import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {CLIENTS} from '../../../src/clients/index.js'
import {parseGovernedLaunch} from '../../../src/clients/governed.js'
import {getIn, isRecord} from '../../../src/clients/server-map.js'
import {formatOf} from '../../../src/clients/simple.js'
import type {ClientAdapter, ConfigLocation} from '../../../src/clients/types.js'
import {type ConfigFormat, parseConfig} from '../../../src/config/document.js'
import {unwrapTargets, wrapTargets} from '../../../src/wrap/index.js'
import type {Target} from '../../../src/wrap/targets.js'
import {FIXTURES} from '../../helpers/clients.js'
import {tempDir} from '../../helpers/tree.js'

const NODE = '/usr/local/bin/node'
const ENTRY = '/opt/agentgov/bin/run.js'
const COMMENTED = new Set(['vscode', 'zed', 'opencode', 'gemini-cli'])
/** OpenCode's schema: a local entry may hold these keys and no other. */
const OPENCODE_LOCAL = new Set(['type', 'command', 'environment', 'enabled', 'timeout'])

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]))
}

function scopeOf(adapter: ClientAdapter, file: string): ConfigLocation['scope'] {
  if (adapter.id === 'claude-code' && /plugin-bare/.test(file)) return 'extension'
  return 'user'
}

/** The fixture as written, with CRLF line endings, and re-indented with tabs: odd layouts must survive too. */
function variants(text: string, format: ConfigFormat): Array<[string, string]> {
  const out: Array<[string, string]> = [['as-is', text], ['crlf', text.replaceAll('\n', '\r\n')]]
  if (format !== 'yaml') out.push(['tabs', text.replaceAll(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2))])
  return out
}

describe('wrap then unwrap, for every client adapter', () => {
  const dir = tempDir()
  afterAll(() => dir.cleanup())
  let n = 0

  for (const adapter of CLIENTS) {
    const fixtureDir = join(FIXTURES, 'clients', adapter.id)
    for (const fixture of files(fixtureDir)) {
      const format: ConfigFormat = COMMENTED.has(adapter.id) && fixture.endsWith('.json') ? 'jsonc' : formatOf(fixture)
      for (const [variant, text] of variants(readFileSync(fixture, 'utf8'), format)) {
        it(`${adapter.id} ${relative(fixtureDir, fixture)} (${variant})`, async () => {
          const file = join(dir.path, `f${n++}-${fixture.split('/').pop()}`)
          writeFileSync(file, text)
          const state = join(dir.path, `state${n}`)
          const location: ConfigLocation = {path: file, scope: scopeOf(adapter, fixture), format}
          const target: Target = {file, format, readers: [{adapter, location}]}
          const before = readFileSync(file)
          const serversBefore = adapter.read(parseConfig(text, format), location).servers

          const [wrapped] = await wrapTargets([target], {stateDir: state, dryRun: false, node: NODE, entry: ENTRY})
          expect(wrapped.status, wrapped.message).not.toBe('error')
          const after = readFileSync(file, 'utf8')
          const doc = parseConfig(after, format)
          const servers = adapter.read(doc, location).servers
          // Same servers, and every one is either governed or left with a reason.
          expect(servers.map((s) => s.name)).toEqual(serversBefore.map((s) => s.name))
          for (const server of servers) {
            const said = wrapped.servers.find((s) => s.name === server.name && s.project === server.project)
            const governed = parseGovernedLaunch(server.command, server.args)
            if (said?.action === 'wrapped') {
              expect(governed, server.name).toMatchObject({agent: adapter.id, server: server.name})
              expect(server.transport).toBe('stdio')
              expect(server.enabled).toBe(serversBefore.find((s) => s.name === server.name && s.project === server.project)?.enabled)
            } else {
              expect(said?.reason ?? said?.action, server.name).toBeTruthy()
            }

            if (adapter.id === 'opencode' && said?.action === 'wrapped') {
              const raw = getIn(doc.value, server.path)
              expect(isRecord(raw) && Object.keys(raw).filter((key) => !OPENCODE_LOCAL.has(key))).toEqual([])
            }
          }

          if (variant === 'crlf') expect(after.replaceAll('\r\n', '')).not.toContain('\n')
          if (wrapped.status === 'changed') expect(after).not.toBe(text)

          const [restored] = await unwrapTargets([target], {stateDir: state, dryRun: false})
          expect(restored.status, restored.message).not.toBe('error')
          expect(readFileSync(file).equals(before)).toBe(true)

          // Once more, with an edit outside the entries after wrap: unwrap goes entry by entry and keeps it.
          await wrapTargets([target], {stateDir: state, dryRun: false, node: NODE, entry: ENTRY})
          const eol = text.includes('\r\n') ? '\r\n' : '\n'
          writeFileSync(file, readFileSync(file, 'utf8') + eol)
          const [entries] = await unwrapTargets([target], {stateDir: state, dryRun: false})
          if (wrapped.status === 'changed') expect(entries.restore).toBe('entries')
          expect(readFileSync(file, 'utf8')).toBe(text + eol)
        })
      }
    }
  }
})
