/**
 * Issue 14 through a hostile server of our own (test/helpers/hostile-server.mjs: lenient, it runs
 * what it is sent and logs every message): resources/read URIs, conditions passed by a value of
 * another type, tool names in other spellings, and method spellings that are not methods. Each attack
 * is refused and recorded, and the server's own log shows it never ran. Ids match docs/security.md.
 */
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Hostile, hostileServer} from '../helpers/hostile.js'
import {call, type RawProxy, startRawProxy} from '../helpers/raw-proxy.js'
import {eventuallyTraceText, recordedDecision} from '../helpers/traces.js'
import {tempDir} from '../helpers/tree.js'

type Message = Record<string, unknown>
const answerText = (m: Message) => JSON.stringify(m.result ?? m.error ?? {})
const refused = (m: Message) => m.error !== undefined || (m.result as {isError?: boolean} | undefined)?.isError === true
const SECRET = 'TOP-SECRET-KEY'
const tool = (name: string) => ({name, description: `The ${name} tool.`, inputSchema: {type: 'object'}})

describe('attacks through a hostile server', () => {
  const dir = tempDir()
  const root = join(dir.path, 'root')
  const state = join(dir.path, 'state')
  let proxy: RawProxy
  let server: Hostile
  let nextId = 0

  beforeAll(async () => {
    mkdirSync(join(root, 'public'), {recursive: true})
    mkdirSync(join(root, 'secret'), {recursive: true})
    writeFileSync(join(root, 'public', 'ok.txt'), 'public\n')
    writeFileSync(join(root, 'secret', 'key.txt'), `${SECRET}\n`)
    symlinkSync(root, join(root, 'public', 'up'))
    server = hostileServer(dir.path, {files: true, tools: [['echo', 'push', 'pay', 'deploy', 'run'].map(tool)]})
    const policy = `version: 1
policies:
  - name: hostile
    agent: "*"
    rules:
      - id: public-files
        tools: ["ev.file://${root}/public/*"]
        stages: [resource]
        action: allow
      - id: no-other-resources
        tools: ["ev.*"]
        stages: [resource]
        action: deny
      - id: no-echo
        tools: [ev.echo]
        action: deny
      - id: no-force
        tools: [ev.push]
        when: {arg: force, equals: true}
        action: deny
        reason: No force pushes.
      - id: push-ok
        tools: [ev.push]
        action: allow
      - id: small-pay
        tools: [ev.pay]
        when: {arg: amount, lte: 100}
        action: allow
      - id: dev-only
        tools: [ev.deploy]
        when: {arg: env, in: [dev, test]}
        action: allow
      - id: no-rm
        tools: [ev.run]
        when: {arg: cmd, matches: "^rm"}
        action: deny
      - id: run-ok
        tools: [ev.run]
        when: {arg: cmd, max_length: 20}
        action: allow
      - id: rest
        tools: ["ev.*"]
        action: deny
`
    proxy = startRawProxy({stateDir: state, policy, command: server.command})
    await proxy.initialize()
  })
  afterAll(async () => {
    proxy?.child.kill()
    await proxy?.exited
    dir.cleanup()
  })

  async function request(method: string, params: Record<string, unknown>): Promise<{answer: Message; id: string}> {
    const id = `r-${++nextId}`
    proxy.send(JSON.stringify({jsonrpc: '2.0', id, method, params}))
    return {answer: await proxy.next((m) => m.id === id), id}
  }

  async function tools(name: string, args: Record<string, unknown>) {
    const id = `t-${++nextId}`
    proxy.send(call(id, name, args))
    return {answer: await proxy.next((m) => m.id === id), id}
  }

  async function expectRefusedAndRecorded({answer, id}: {answer: Message; id: string}) {
    expect(refused(answer), answerText(answer)).toBe(true)
    expect(answerText(answer)).not.toContain(SECRET)
    const decision = await recordedDecision(state, id)
    expect(decision?.action, JSON.stringify(decision)).toBe('deny')
    return decision
  }

  const ranWith = (name: string) => server.received().filter((m) => m.ran === name).map((m) => m.arguments as Record<string, unknown>)

  describe('resources/read URIs decided on the file they name (R)', () => {
    it('control: the public file is read through a plain file URI', async () => {
      const {answer} = await request('resources/read', {uri: `file://${root}/public/ok.txt`})
      expect(answerText(answer)).toContain('public')
    })

    const attacks: Array<[string, string]> = [
      ['R01 ..', `file://${root}/public/../secret/key.txt`],
      ['R02 %2e%2e', `file://${root}/public/%2e%2e/secret/key.txt`],
      ['R03 %2E%2E', `file://${root}/public/%2E%2E/secret/key.txt`],
      ['R04 .%2e', `file://${root}/public/.%2e/secret/key.txt`],
      ['R05 // around ..', `file:///${root}//public//..//secret/key.txt`],
      ['R06 // before ..', `file://${root}/public//../secret/key.txt`],
      ['R07 backslashes', `file://${root}/public\\..\\secret\\key.txt`],
      ['R08 encoded slash', `file://${root}/public/..%2fsecret%2fkey.txt`],
      ['R09 localhost', `file://localhost${root}/public/../secret/key.txt`],
      ['R10 upper-case scheme', `FILE://${root}/public/../secret/key.txt`],
      ['R11 short form file:/', `file:${root}/public/../secret/key.txt`],
      ['R12 query', `file://${root}/public/ok.txt?/../../secret/key.txt`],
      ['R13 remote host', `file://127.0.0.1${root}/secret/key.txt`],
      ['R14 encoded NUL', `file://${root}/public/%00/../../secret/key.txt`],
      ['R15 direct', `file://${root}/secret/key.txt`],
    ]
    for (const [name, uri] of attacks) {
      it(`${name}: refused, recorded, never read by the server`, async () => {
        await expectRefusedAndRecorded(await request('resources/read', {uri}))
        expect(server.received().some((m) => m.read === uri)).toBe(false)
      })
    }
  })

  // A resource is decided on its URI and on the file it leads to, every link followed.
  it('R16 a link inside the allowed folder, file://ROOT/public/up/secret/key.txt: refused, recorded', async () => {
    await expectRefusedAndRecorded(await request('resources/read', {uri: `file://${root}/public/up/secret/key.txt`}))
  })

  it('R17 a link inside the allowed folder to an allowed file still reads', async () => {
    const {answer} = await request('resources/read', {uri: `file://${root}/public/up/public/ok.txt`})
    expect(answerText(answer)).toContain('public')
  })

  describe('conditions passed by a value of another type (C)', () => {
    it('controls: push without force, with force false, a small payment, a dev deploy, a short command', async () => {
      for (const [name, args] of [
        ['push', {}],
        ['push', {force: false}],
        ['pay', {amount: 50}],
        ['deploy', {env: 'dev'}],
        ['run', {cmd: 'ls'}],
      ] as const) {
        const {answer} = await tools(name, args)
        expect(refused(answer), `${name} ${JSON.stringify(args)} ${answerText(answer)}`).toBe(false)
      }
    })

    const attacks: Array<[string, string, Record<string, unknown>]> = [
      ['C01 equals true by "true"', 'push', {force: 'true'}],
      ['C02 equals true by 1', 'push', {force: 1}],
      ['C03 equals true by "1"', 'push', {force: '1'}],
      ['C04 equals true by "TRUE"', 'push', {force: 'TRUE'}],
      ['C05 equals true by [false, "true"]', 'push', {force: [false, 'true']}],
      ['C06 equals true by an object', 'push', {force: {value: true}}],
      ['C07 equals true by null', 'push', {force: null}],
      ['C08 lte 100 by "50"', 'pay', {amount: '50'}],
      ['C09 lte 100 by "5e1"', 'pay', {amount: '5e1'}],
      ['C10 lte 100 by [50, 5000]', 'pay', {amount: [50, 5000]}],
      ['C11 lte 100 by a number past 2^53', 'pay', {amount: 2 ** 53 + 2}],
      ['C12 lte 100 by true', 'pay', {amount: true}],
      ['C13 lte 100 by an object', 'pay', {amount: {n: 50}}],
      ['C14 in [dev, test] by [dev, prod]', 'deploy', {env: ['dev', 'prod']}],
      ['C15 in [dev, test] by an object', 'deploy', {env: {0: 'dev'}}],
      ['C16 in [dev, test] by a nested list', 'deploy', {env: [['dev']]}],
      ['C17 matches ^rm by a list of commands', 'run', {cmd: ['rm -rf /', 'ls']}],
      ['C18 matches ^rm by an object', 'run', {cmd: {toString: 'rm -rf /'}}],
    ]
    for (const [name, toolName, args] of attacks) {
      it(`${name}: refused, recorded, never run`, async () => {
        await expectRefusedAndRecorded(await tools(toolName, args))
        expect(ranWith(toolName).some((ran) => JSON.stringify(ran) === JSON.stringify(args))).toBe(false)
      })
    }
  })

  describe('tool names in other spellings (N)', () => {
    const attacks: Array<[string, string]> = [
      ['N01 upper case', 'ECHO'],
      ['N02 full-width', 'ｅｃｈｏ'],
      ['N03 trailing space', 'echo '],
      ['N04 trailing NUL', 'echo\u0000'],
      ['N05 zero-width space', 'ec\u200bho'],
      ['N06 Cyrillic е', '\u0435cho'],
      ['N07 terminal escape', 'echo\u001b[2K\u001b[1Gallow'],
      ['N08 combining accent', 'e\u0301cho'],
    ]
    for (const [name, spelling] of attacks) {
      it(`${name}: refused, recorded, never run`, async () => {
        await expectRefusedAndRecorded(await tools(spelling, {}))
        expect(server.ran()).not.toContain(spelling)
      })
    }
  })

  describe('the session and its decoding (S)', () => {
    it('S01 a second initialize that adds elicitation and a reviewer\'s name is refused and recorded', async () => {
      const {answer} = await request('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {elicitation: {}},
        clientInfo: {name: 'alice (security team)', version: '1'},
      })
      expect((answer.error as {message?: string} | undefined)?.message).toMatch(/already initialized/)
      const traces = await eventuallyTraceText(state, 'second-initialize')
      expect(traces).toContain('"name":"client:second-initialize"')
    })

    it('S02 arguments nested 20,000 deep (a 40 KB line) are refused, and the proxy lives on', async () => {
      const id = `deep-${++nextId}`
      const deep = '['.repeat(20_000) + ']'.repeat(20_000)
      proxy.send(`{"jsonrpc":"2.0","id":"${id}","method":"tools/call","params":{"name":"push","arguments":{"a":${deep}}}}`)
      const answer = await proxy.next((m) => m.id === id)
      expect((answer.error as {code?: number} | undefined)?.code).toBe(-32_600)
      expect(ranWith('push').some((args) => Array.isArray(args.a))).toBe(false)
      const {answer: after} = await tools('push', {})
      expect(refused(after), answerText(after)).toBe(false)
    })
  })

  describe('method spellings that are not methods (M)', () => {
    // Only the methods in src/policy/methods.ts pass, compared exactly: -32601, recorded, never forwarded.
    const attacks: Array<[string, string]> = [
      ['M01 Tools/Call', 'Tools/Call'],
      ['M02 trailing space', 'tools/call '],
      ['M03 trailing NUL', 'tools/call\u0000'],
      ['M04 TOOLS/CALL', 'TOOLS/CALL'],
      ['M05 leading tab', '\ttools/call'],
    ]
    for (const [name, method] of attacks) {
      it(`${name}: refused, recorded, never run`, async () => {
        const {answer, id} = await request(method, {name: 'echo', arguments: {via: name}})
        expect(answer.error, answerText(answer)).toBeDefined()
        expect(server.received().some((m) => m.ran === 'echo' && (m.arguments as {via?: string} | undefined)?.via === name)).toBe(false)
        expect((await recordedDecision(state, id, 1000))?.action).toBe('deny')
      })
    }
  })
})
