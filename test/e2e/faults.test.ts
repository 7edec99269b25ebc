import {execFileSync, spawn} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {dirname, join, relative} from 'node:path'

import {describe, expect, it} from 'vitest'

import {pendingApprovalId} from '../helpers/approvals.js'
import {SERVERS, writePolicy} from '../helpers/mcp.js'
import {call, startRawProxy} from '../helpers/raw-proxy.js'
import {BIN, runCli, tempDir} from '../helpers/tree.js'

const NOBODY = 65534
const PACKAGE = dirname(dirname(BIN))

/** True when uid `nobody` can read the CLI where it is (not when the checkout sits under /root or a mktemp -d). */
function nobodyCanRead(path: string): boolean {
  try {
    execFileSync(process.execPath, ['-e', 'require("node:fs").accessSync(process.argv[1])', path], {uid: NOBODY, gid: NOBODY, stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

/**
 * The package as uid `nobody` can reach it: where it is, or else bind-mounted (root only, as the
 * test is) onto a directory anyone can traverse. Undefined when neither works.
 */
function packageForNobody(dir: string): {root: string; release: () => void} | undefined {
  if (nobodyCanRead(BIN)) return {root: PACKAGE, release: () => {}}
  const root = join(dir, 'package')
  try {
    mkdirSync(root)
    execFileSync('mount', ['--bind', PACKAGE, root], {stdio: 'ignore'})
  } catch {
    return undefined
  }

  const release = () => execFileSync('umount', ['-l', root])
  if (nobodyCanRead(join(root, relative(PACKAGE, BIN)))) return {root, release}
  release()
  return undefined
}

const isAnswerTo = (id: unknown) => (m: Record<string, unknown>) => m.id === id
const resultText = (m: Record<string, unknown>) => ((m.result as {content?: Array<{text?: string}>} | undefined)?.content ?? []).map((c) => c.text ?? '').join('')

const denied = (m: Record<string, unknown>) => (m.error as {code?: number} | undefined)?.code === -32602 && !JSON.stringify(m).includes('PATH')

const ECHO_POLICY = `policies:
  - name: faults
    agent: "*"
    rules:
      - id: echo
        tools: ["ev.echo"]
        action: allow
`

function records(stateDir: string): Array<Record<string, unknown>> {
  const root = join(stateDir, 'traces')
  const files = (readdirSync(root, {recursive: true}) as string[]).filter((f) => f.endsWith('.jsonl') && !f.startsWith('index'))
  return files.flatMap((f) => readFileSync(join(root, f), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>))
}

describe('faults: nothing lost, nothing hung', () => {
  it('a server flooding stderr: every call is still answered and recorded', async () => {
    const dir = tempDir()
    // 8 MB of noise on stderr while the server works; the proxy passes it through without stalling stdout.
    // The flood starts once the server is up, so it competes with calls rather than with the boot.
    const flood = `(sleep 0.5; node -e 'const b=Buffer.alloc(65536,120);let n=128;const w=()=>{while(n-->0){if(!process.stderr.write(b))return process.stderr.once("drain",w)}};w()') & exec ${JSON.stringify(process.execPath)} ${JSON.stringify(SERVERS.everything)} stdio`
    const proxy = startRawProxy({stateDir: dir.path, policy: ECHO_POLICY, command: ['/bin/sh', '-c', flood]})
    await proxy.initialize()
    for (let i = 0; i < 200 && proxy.stderr().length < 1024 * 1024; i++) await new Promise((r) => setTimeout(r, 25))
    for (let i = 1; i <= 20; i++) proxy.send(call(i, 'echo', {message: `m${i}`}))
    for (let i = 1; i <= 20; i++) expect(resultText(await proxy.next(isAnswerTo(i)))).toBe(`Echo: m${i}`)
    for (let i = 0; i < 100 && proxy.stderr().length < 8 * 1024 * 1024; i++) await new Promise((r) => setTimeout(r, 50))
    expect(proxy.stderr().length).toBeGreaterThanOrEqual(8 * 1024 * 1024)
    proxy.child.stdin.end()
    expect(await proxy.exited).toBe(0)
    expect(records(dir.path).filter((r) => r.kind === 'decision' && r.tool === 'echo')).toHaveLength(20)
    dir.cleanup()
  })

  it('an OTLP backend answering 500: calls go on, every decision is in the local store, the chain verifies', async () => {
    const dir = tempDir()
    let hits = 0
    const backend = createServer((request, response) => {
      hits++
      request.resume()
      response.writeHead(500).end('backend down')
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    const policyFile = writePolicy(dir.path, ECHO_POLICY)
    const child = spawn(process.execPath, [BIN, 'proxy', '--agent', 'otlp', '--server', 'ev', '--policy', policyFile, '--otlp-endpoint', url, '--', process.execPath, SERVERS.everything, 'stdio'], {
      env: {PATH: process.env.PATH ?? '', HOME: dir.path, AGENTGOV_HOME: dir.path},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const send = (message: object) => child.stdin.write(JSON.stringify(message) + '\n')
    send({jsonrpc: '2.0', id: 0, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'x', version: '1'}}})
    for (let i = 0; i < 100 && !stdout.includes('"id":0'); i++) await new Promise((r) => setTimeout(r, 50))
    send({jsonrpc: '2.0', method: 'notifications/initialized'})
    for (let i = 1; i <= 10; i++) send({jsonrpc: '2.0', id: i, method: 'tools/call', params: {name: 'echo', arguments: {message: `o${i}`}}})
    for (let i = 0; i < 100 && !stdout.includes('"id":10'); i++) await new Promise((r) => setTimeout(r, 50))
    child.stdin.end()
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    await new Promise<void>((resolve) => backend.close(() => resolve()))
    expect(code).toBe(0)
    for (let i = 1; i <= 10; i++) expect(stdout).toContain(`Echo: o${i}`)
    expect(hits).toBeGreaterThan(0)
    expect(stderr).toContain('could not be delivered to the OTLP endpoint')
    expect(stderr).not.toContain('could not be written to the local trace store')
    expect(records(dir.path).filter((r) => r.kind === 'decision' && r.tool === 'echo')).toHaveLength(10)
    expect((await runCli(['traces', 'verify'], {HOME: dir.path, AGENTGOV_HOME: dir.path})).code).toBe(0)
    dir.cleanup()
  })

  it.skipIf(process.getuid?.() !== 0)('a read-only trace store: the proxy refuses to start, names the directory, and stops the server', async (context) => {
    const dir = tempDir()
    // Root writes through any mode bit: the proxy runs as nobody, who owns the state but not the store.
    chmodSync(dir.path, 0o755)
    // A checkout under /root or a mktemp -d (mode 700) is out of nobody's reach: the CLI is lent to it.
    const lent = packageForNobody(dir.path)
    if (!lent) {
      dir.cleanup()
      context.skip(`uid ${NOBODY} cannot read ${BIN} and it could not be bind-mounted where it can: run this test from a checkout anyone can traverse`)
      return
    }

    const inPackage = (path: string) => join(lent.root, relative(PACKAGE, path))
    const state = join(dir.path, 'state')
    const policyFile = writePolicy(state, ECHO_POLICY)
    mkdirSync(join(state, 'traces'))
    chownSync(state, NOBODY, NOBODY)
    chmodSync(join(state, 'traces'), 0o555)
    const child = spawn(process.execPath, [inPackage(BIN), 'proxy', '--agent', 'ro', '--server', 'ev', '--policy', policyFile, '--', process.execPath, inPackage(SERVERS.everything), 'stdio'], {
      uid: NOBODY,
      gid: NOBODY,
      env: {PATH: process.env.PATH ?? '', HOME: state, AGENTGOV_HOME: state, OTEL_SDK_DISABLED: 'true'},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdin.write(JSON.stringify({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'x', version: '1'}}}) + '\n')
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    lent.release()
    expect(stderr).toContain(`Cannot open the trace store in ${state}`)
    expect(code).toBe(4)
    expect(stderr).toContain('AGENTGOV_HOME')
    expect(stdout).toBe('')
    dir.cleanup()
  })

  it('the policy file deleted, then corrupted, while running: the last good policy stays in force', async () => {
    const dir = tempDir()
    const proxy = startRawProxy({stateDir: dir.path, policy: ECHO_POLICY})
    await proxy.initialize()
    proxy.send(call(1, 'echo', {message: 'before'}))
    expect(resultText(await proxy.next(isAnswerTo(1)))).toBe('Echo: before')
    rmSync(join(dir.path, 'policy.yaml'))
    await new Promise((r) => setTimeout(r, 500))
    proxy.send(call(2, 'echo', {message: 'deleted'}))
    proxy.send(call(3, 'get-env', {name: 'x'}))
    expect(resultText(await proxy.next(isAnswerTo(2)))).toBe('Echo: deleted')
    expect(denied(await proxy.next(isAnswerTo(3)))).toBe(true)
    writeFileSync(join(dir.path, 'policy.yaml'), '\u0000\u0001policies: [[[')
    await new Promise((r) => setTimeout(r, 500))
    proxy.send(call(4, 'echo', {message: 'corrupted'}))
    proxy.send(call(5, 'get-env', {name: 'x'}))
    expect(resultText(await proxy.next(isAnswerTo(4)))).toBe('Echo: corrupted')
    expect(denied(await proxy.next(isAnswerTo(5)))).toBe(true)
    expect(proxy.stderr()).toContain('POLICY NOT RELOADED')
    proxy.child.stdin.end()
    expect(await proxy.exited).toBe(0)
    dir.cleanup()
  })

  it('a client that disconnects mid-approval: the call is cancelled, the approval marked, the server never called', async () => {
    const dir = tempDir()
    const root = join(dir.path, 'root')
    mkdirSync(root)
    const policy = `settings: {approval_timeout: 30s}
policies:
  - name: held
    agent: "*"
    rules:
      - id: writes
        tools: ["ev.write_file"]
        action: human_approval
        reason: Writes need a person.
`
    const proxy = startRawProxy({stateDir: dir.path, policy, command: [process.execPath, SERVERS.filesystem, root]})
    await proxy.initialize()
    proxy.send(call(1, 'write_file', {path: join(root, 'never.txt'), content: 'x'}))
    const approvals = join(dir.path, 'approvals')
    const file = `${await pendingApprovalId(dir.path)}.json`
    const started = Date.now()
    proxy.child.stdin.end()
    await proxy.exited
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((JSON.parse(readFileSync(join(approvals, file), 'utf8')) as {status: string}).status).toBe('cancelled')
    expect(existsSync(join(root, 'never.txt'))).toBe(false)
    expect(proxy.stderr()).not.toContain('could not be written')
    const kinds = records(dir.path).map((r) => `${String(r.kind)}:${String(r.tool ?? '')}`)
    expect(kinds).toContain('decision:write_file')
    expect(kinds).toContain('approval:write_file')
    dir.cleanup()
  })
})

/** A tiny filesystem to fill up: needs root (CI and these machines run as root). */
function mountTiny(path: string): boolean {
  try {
    mkdirSync(path, {recursive: true})
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', path], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

describe('a full disk under the trace store', () => {
  it.skipIf(process.getuid?.() !== 0)('refuses calls while decisions cannot be recorded, loses none, and recovers when space returns', async () => {
    const dir = tempDir()
    const state = join(dir.path, 'state')
    expect(mountTiny(state)).toBe(true)
    try {
      const proxy = startRawProxy({stateDir: state, policy: ECHO_POLICY})
      await proxy.initialize()
      proxy.send(call(1, 'echo', {message: 'before'}))
      expect(resultText(await proxy.next(isAnswerTo(1)))).toBe('Echo: before')
      await new Promise((resolve) => setTimeout(resolve, 100))
      // Fill the disk to the last byte.
      try {
        writeFileSync(join(state, 'filler'), Buffer.alloc(1024 * 1024))
      } catch {
        // ENOSPC: what was written stays and the disk is full.
      }

      const answers: string[] = []
      for (let id = 2; id < 30; id++) {
        proxy.send(call(id, 'echo', {message: `after ${id}`}))
        answers.push(resultText(await proxy.next(isAnswerTo(id))))
        await new Promise((resolve) => setTimeout(resolve, 40))
      }

      const firstRefusal = answers.findIndex((text) => text.includes('trace store cannot be written'))
      expect(firstRefusal).toBeGreaterThanOrEqual(0)
      expect(answers.slice(firstRefusal).every((text) => text.includes('trace store cannot be written'))).toBe(true)
      expect(proxy.stderr()).toContain('cannot write the trace store')

      // Space comes back: the records that waited are written, and calls flow again.
      rmSync(join(state, 'filler'))
      let after = ''
      for (let id = 100; id < 140 && !after.startsWith('Echo:'); id++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        proxy.send(call(id, 'echo', {message: 'space again'}))
        after = resultText(await proxy.next(isAnswerTo(id)))
      }

      expect(after).toBe('Echo: space again')
      proxy.child.kill()
      await proxy.exited
      // Every call that went through has its record, once: what the write that hit the full disk got
      // onto it stays (and is not written again), its torn rest was cut off, and the rest of the batch
      // was kept and written to a fresh segment once space returned.
      const forwarded = 2 + answers.filter((text) => text.startsWith('Echo:')).length
      const allowed = records(state).filter((r) => r.kind === 'decision' && r.tool === 'echo' && r.action === 'allow')
      expect(allowed).toHaveLength(forwarded)
      expect(new Set(allowed.map((r) => r.requestId)).size).toBe(forwarded)
      const verify = await runCli(['traces', 'verify'], {HOME: state, AGENTGOV_HOME: state})
      expect(verify.stdout).toMatch(/^Trace store intact/)
      expect(verify.code).toBe(0)
    } finally {
      execFileSync('umount', ['-l', state])
      dir.cleanup()
    }
  })
})
