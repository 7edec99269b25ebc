import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CLIENTS} from '../../src/clients/index.js'
import type {Inventory} from '../../src/discovery/types.js'
import {hostFromEnv} from '../../src/host.js'
import type {WrapReport} from '../../src/wrap/run.js'
import {FIXTURES} from '../helpers/clients.js'
import {runCli, tempDir} from '../helpers/tree.js'

/** Which fixture stands for a client's own user file (the first fixture of the client's format). */
function fixtureFor(clientId: string, format: string): string | undefined {
  const dir = join(FIXTURES, 'clients', clientId)
  const names = readdirSync(dir, {recursive: true, encoding: 'utf8'}).sort()
  const ext = format === 'yaml' ? /\.ya?ml$/ : format === 'toml' ? /config\.toml$/ : /\.jsonc?$/
  const preferred = names.filter((n) => ext.test(n) && !/managed|requirements|plugin|extension|agent\.json|dev\.json/.test(n))
  return preferred[0] ? join(dir, preferred[0]) : undefined
}

describe('agentgov wrap --all and unwrap --all on a home with every client', () => {
  const dir = tempDir()
  const home = join(dir.path, 'home')
  const env = {HOME: home, AGENTGOV_HOME: join(dir.path, 'state'), AGENTGOV_PLATFORM: 'linux'}
  const written = new Map<string, string>()
  let wrap: WrapReport

  beforeAll(async () => {
    const host = hostFromEnv(env, 'linux')
    for (const client of CLIENTS) {
      const location = client.machineConfigs(host).find((l) => l.path.startsWith(home) && !/[*?]/.test(l.path) && l.scope === 'user')
      const fixture = location && fixtureFor(client.id, location.format)
      if (!location || !fixture || written.has(location.path)) continue
      mkdirSync(dirname(location.path), {recursive: true})
      // CRLF for every other client: line endings must survive both ways.
      const text = readFileSync(fixture, 'utf8')
      const content = written.size % 2 === 1 ? text.replaceAll('\n', '\r\n') : text
      writeFileSync(location.path, content)
      written.set(location.path, content)
    }

    const result = await runCli(['wrap', '--all', '--json'], env)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    wrap = JSON.parse(result.stdout) as WrapReport
  })
  afterAll(() => dir.cleanup())

  it('has a config for nearly every client', () => {
    expect(written.size).toBeGreaterThanOrEqual(CLIENTS.length - 2)
  })

  it('discover then shows every wrapped server as governed, and says why any other was left', async () => {
    const result = await runCli(['discover', '--json', '--no-processes'], env)
    const inventory = JSON.parse(result.stdout) as Inventory
    const outcomes = wrap.files.flatMap((f) => f.servers.map((s) => ({...s, file: f.file})))
    expect(outcomes.filter((s) => s.action === 'wrapped').length).toBeGreaterThan(40)
    for (const server of inventory.servers) {
      const said = outcomes.find((o) => o.file === server.file && o.client === server.client && o.name === server.name && o.project === server.project)
      expect(said, `${server.client} ${server.name}`).toBeDefined()
      if (said?.action === 'wrapped' || said?.action === 'already-governed') expect(server.governance, `${server.client} ${server.name}`).toBe('governed')
      else expect(said?.reason, `${server.client} ${server.name}`).toBeTruthy()
    }

    expect(wrap.files.filter((f) => f.status === 'error')).toEqual([])
  })

  it('status reports each file as wrapped and unchanged since', async () => {
    const result = await runCli(['status', '--json'], env)
    const status = JSON.parse(result.stdout) as {files: Array<{file: string; changedSinceWrap?: boolean; wrappedAt?: string}>}
    const changed = wrap.files.filter((f) => f.status === 'changed').map((f) => f.file)
    for (const file of changed) expect(status.files.find((f) => f.file === file)).toMatchObject({changedSinceWrap: false, wrappedAt: expect.any(String)})
  })

  it('unwrap --all restores every file byte for byte', async () => {
    const result = await runCli(['unwrap', '--all', '--json'], env)
    expect(result.code, result.stdout).toBe(0)
    for (const [path, content] of written) expect(readFileSync(path, 'utf8'), path).toBe(content)
  })
})
