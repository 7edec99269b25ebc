import {spawn} from 'node:child_process'
import {chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {clientById} from '../../../src/clients/index.js'
import {parseGovernedLaunch} from '../../../src/clients/governed.js'
import {parseConfig} from '../../../src/config/document.js'
import {commitFile, readSnapshot} from '../../../src/wrap/files.js'
import {unwrapTargets, wrapTargets} from '../../../src/wrap/index.js'
import {agentgovEntry} from '../../../src/wrap/launch.js'
import type {Target} from '../../../src/wrap/targets.js'
import {BIN, tempDir} from '../../helpers/tree.js'

const CURSOR = `{
  // my servers
  "mcpServers": {
    "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]},
    "git": {"command": "uvx", "args": ["mcp-server-git"], "env": {"A": "1"}}
  }
}
`

function cursorTarget(file: string): Target {
  const adapter = clientById('cursor')!
  return {file, format: 'jsonc', readers: [{adapter, location: {path: file, scope: 'user', format: 'jsonc'}}]}
}

/** Run the built CLI with a fault hook, in a fake home. */
function cli(args: string[], env: Record<string, string>): Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {env: {PATH: process.env.PATH ?? '', ...env}})
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.on('close', (code, signal) => resolve({code, signal, stdout}))
  })
}

describe('nothing of the user is lost', () => {
  let dir: ReturnType<typeof tempDir>
  let home: string
  let file: string
  let env: Record<string, string>
  beforeEach(() => {
    dir = tempDir()
    home = join(dir.path, 'home')
    file = join(home, '.cursor', 'mcp.json')
    env = {HOME: home, AGENTGOV_HOME: join(dir.path, 'state'), AGENTGOV_PLATFORM: 'linux'}
    mkdirSync(join(home, '.cursor'), {recursive: true})
    writeFileSync(file, CURSOR)
    chmodSync(file, 0o640)
  })
  afterEach(() => dir.cleanup())

  it('a process killed between the temp write and the rename leaves the original intact', async () => {
    const result = await cli(['wrap', file, '--json'], {...env, AGENTGOV_FAULT: 'kill-before-rename'})
    expect(result.signal).toBe('SIGKILL')
    expect(readFileSync(file, 'utf8')).toBe(CURSOR)
    // The lock of the killed process is stale and does not block the next run.
    const again = await cli(['wrap', file, '--json'], env)
    expect(again.code).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain('proxy')
    expect(readdirSync(join(home, '.cursor'))).toEqual(['mcp.json'])
  })

  it('keeps the file mode', async () => {
    await wrapTargets([cursorTarget(file)], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(statSync(file).mode & 0o777).toBe(0o640)
  })

  it('two concurrent wraps do not interleave: each server is wrapped once and unwrap restores the bytes', async () => {
    const slow = cli(['wrap', file, '--json'], {...env, AGENTGOV_FAULT: 'hold-lock=400'})
    await new Promise((r) => setTimeout(r, 150))
    const fast = cli(['wrap', file, '--json'], env)
    const [a, b] = await Promise.all([slow, fast])
    expect([a.code, b.code]).toEqual([0, 0])
    const reports = [JSON.parse(a.stdout), JSON.parse(b.stdout)]
    expect(reports.map((r) => r.summary.wrapped).sort()).toEqual([0, 2])
    expect(reports.map((r) => r.summary.alreadyGoverned).sort()).toEqual([0, 2])
    const doc = parseConfig(readFileSync(file, 'utf8'), 'jsonc')
    for (const server of clientById('cursor')!.read(doc, {path: file, scope: 'user', format: 'jsonc'}).servers) {
      const launch = parseGovernedLaunch(server.command, server.args)
      expect(launch?.inner[0]).not.toMatch(/node$/)
      expect(launch?.inner).not.toContain('proxy')
    }

    expect((await cli(['unwrap', file, '--json'], env)).code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(CURSOR)
  })

  it('refuses a read-only file cleanly, writing nothing', async () => {
    chmodSync(file, 0o444)
    const result = await cli(['wrap', file, '--json'], env)
    expect(result.code).toBe(3)
    expect(JSON.parse(result.stdout).files[0].message).toMatch(/read-only/)
    expect(readFileSync(file, 'utf8')).toBe(CURSOR)
    expect(readdirSync(join(home, '.cursor'))).toEqual(['mcp.json'])
  })

  it('refuses when the file changes between read and write', async () => {
    const snapshot = await readSnapshot(file, 'write')
    writeFileSync(file, CURSOR + ' ')
    const refused = commitFile(snapshot, 'replacement')
    await expect(refused).rejects.toMatchObject({exitCode: 5, message: expect.stringMatching(/changed while agentgov was editing it/)})
    expect(readFileSync(file, 'utf8')).toBe(CURSOR + ' ')
    expect(readdirSync(join(home, '.cursor'))).toEqual(['mcp.json'])
  })

  it.each([
    ['missing', () => undefined, /does not exist/],
    ['empty', (f: string) => writeFileSync(f, ''), /is empty/],
    ['malformed', (f: string) => writeFileSync(f, '{"mcpServers": {"x": {"command": "y",,}}}'), /not valid JSONC at line 1/],
  ])('a %s file gets a clear message and no write', async (_kind, make, message) => {
    const other = join(home, '.cursor', 'other.json')
    make(other)
    const before = (() => {
      try {
        return readFileSync(other)
      } catch {
        return undefined
      }
    })()
    const [result] = await wrapTargets([cursorTarget(other)], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(result.status).toBe('error')
    expect(result.exitCode).toBe(3)
    expect(result.message).toMatch(message)
    if (before) expect(readFileSync(other).equals(before)).toBe(true)
  })

  it('edits made after wrap survive unwrap; only the wrapped entries go back', async () => {
    const target = cursorTarget(file)
    await wrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    let text = readFileSync(file, 'utf8')
    // The user adds a server, changes an env value inside a wrapped entry, and adds a comment.
    text = text.replace('"A": "1"', '"A": "2"').replace('// my servers', '// my servers\n  // added later').replace(
      '"mcpServers": {',
      '"mcpServers": {\n    "new": {"command": "node", "args": ["new.js"]},',
    )
    writeFileSync(file, text)
    const [result] = await unwrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(result.restore).toBe('entries')
    const restored = readFileSync(file, 'utf8')
    expect(restored).toBe(
      CURSOR.replace('"A": "1"', '"A": "2"')
        .replace('// my servers', '// my servers\n  // added later')
        .replace('"mcpServers": {', '"mcpServers": {\n    "new": {"command": "node", "args": ["new.js"]},'),
    )
  })

  it('wrapping twice changes nothing the second time', async () => {
    const target = cursorTarget(file)
    await wrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    const once = readFileSync(file, 'utf8')
    const [second] = await wrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(second.status).toBe('unchanged')
    expect(second.servers.map((s) => s.action)).toEqual(['already-governed', 'already-governed'])
    expect(readFileSync(file, 'utf8')).toBe(once)
  })

  it('wrapping again repairs launches of an install that is gone, and unwrap still restores byte for byte', async () => {
    const target = cursorTarget(file)
    await wrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false, node: '/old/node', entry: '/old/place/bin/run.js'})
    const backups = readdirSync(join(env.AGENTGOV_HOME, 'wraps')).sort()
    const [second] = await wrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(second.servers.map((s) => s.action)).toEqual(['repaired', 'repaired'])
    expect(second.servers[0].reason).toContain('/old/node')
    const repaired = readFileSync(file, 'utf8')
    expect(repaired).not.toContain('/old/')
    expect(repaired).toContain(JSON.stringify(agentgovEntry()))
    expect(readdirSync(join(env.AGENTGOV_HOME, 'wraps')).sort()).toEqual(backups)
    const [third] = await wrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(third.status).toBe('unchanged')
    const [restored] = await unwrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(restored.restore).toBe('exact')
    expect(readFileSync(file, 'utf8')).toBe(CURSOR)
  })

  it('unwraps an entry it holds no record of from its proxy launch', async () => {
    const target = cursorTarget(file)
    await wrapTargets([target], {stateDir: join(dir.path, 'elsewhere'), dryRun: false})
    const [result] = await unwrapTargets([target], {stateDir: env.AGENTGOV_HOME, dryRun: false})
    expect(result.servers.map((s) => s.action)).toEqual(['restored', 'restored'])
    expect(readFileSync(file, 'utf8')).toBe(CURSOR)
  })

  it('--dry-run prints a diff and changes nothing', async () => {
    const result = await cli(['wrap', file, '--dry-run'], env)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^-\s+"fs": \{"command": "npx"/m)
    expect(result.stdout).toMatch(/^\+.*"proxy", "--agent", "cursor", "--server", "fs", "--", "npx"/m)
    expect(readFileSync(file, 'utf8')).toBe(CURSOR)
    expect(() => readdirSync(join(env.AGENTGOV_HOME, 'wraps'))).toThrow()
  })
})
