/**
 * Issue 14, paths decided on the wrong string: every attack is sent raw through `bin/run.js proxy`
 * to the real filesystem server over a temp ROOT (public/ allowed, secret/ denied), and must be
 * refused and recorded, with nothing read or written where the policy denies. Attack ids match
 * docs/security.md.
 */
import {existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {SERVERS} from '../helpers/mcp.js'
import {call, type RawProxy, startRawProxy} from '../helpers/raw-proxy.js'
import {startRawHttpProxy} from '../helpers/raw-http.js'
import {recordedDecision} from '../helpers/traces.js'
import {tempDir} from '../helpers/tree.js'

const SECRET = 'TOP-SECRET-KEY'
const PRIVATE = 'PRIVATE-KEY-2'

type Message = Record<string, unknown>
const answerText = (m: Message) => JSON.stringify(m.result ?? m.error ?? {})
const refused = (m: Message) => m.error !== undefined || (m.result as {isError?: boolean} | undefined)?.isError === true

describe('paths decided on what the server will act on (real filesystem server)', () => {
  const dir = tempDir()
  const root = join(dir.path, 'root')
  // The proxy's HOME (and state) sits inside the allowed folder, so `~/…` paths reach the links.
  const state = join(root, 'public', 'home')
  let proxy: RawProxy
  let policy: string
  let nextId = 0

  beforeAll(async () => {
    for (const folder of ['public', 'secret', 'globbed', 'private']) mkdirSync(join(root, folder), {recursive: true})
    writeFileSync(join(root, 'public', 'ok.txt'), 'public\n')
    writeFileSync(join(root, 'secret', 'key.txt'), `${SECRET}\n`)
    writeFileSync(join(root, 'globbed', 'g.txt'), 'globbed\n')
    writeFileSync(join(root, 'private', 'key2.txt'), `${PRIVATE}\n`)
    symlinkSync(root, join(root, 'public', 'up'))
    symlinkSync(join(root, 'public', 'up'), join(root, 'public', 'alias'))
    symlinkSync(join(root, 'public', 'loop'), join(root, 'public', 'loop'))
    mkdirSync(state, {recursive: true})
    symlinkSync(root, join(state, 'up2'))
    policy = `version: 1
policies:
  - name: paths
    agent: "*"
    rules:
      - id: secret-denied
        tools: ["ev.*"]
        when: {any: [{arg: path, under: "${root}/secret"}, {arg: paths, under: "${root}/secret"}]}
        action: deny
        reason: The secret folder is off limits.
      - id: public-allowed
        tools: ["ev.*"]
        when: {any: [{arg: path, under: "${root}/public"}, {arg: paths, under: "${root}/public"}]}
        action: allow
      - id: globbed-allowed
        tools: ["ev.read_text_file"]
        when: {arg: path, glob: "${root}/globbed/**"}
        action: allow
      - id: rest
        tools: ["ev.*"]
        action: deny
        reason: Only the public and globbed folders.
    `
    proxy = startRawProxy({stateDir: state, policy, command: [process.execPath, SERVERS.filesystem, root]})
    await proxy.initialize()
  })
  afterAll(async () => {
    proxy?.child.kill()
    await proxy?.exited
    dir.cleanup()
  })

  async function send(tool: string, args: Record<string, unknown>): Promise<{answer: Message; id: string}> {
    const id = `call-${++nextId}`
    proxy.send(call(id, tool, args))
    return {answer: await proxy.next((m) => m.id === id), id}
  }

  /** Refused by the proxy (its own answer, naming a rule), recorded as a deny, the secret not read. */
  async function expectRefused(tool: string, args: Record<string, unknown>) {
    const {answer, id} = await send(tool, args)
    expect(refused(answer), answerText(answer)).toBe(true)
    expect(answerText(answer)).not.toContain(SECRET)
    expect(answerText(answer)).not.toContain(PRIVATE)
    expect(answerText(answer)).toMatch(/Denied by agentgov policy|Unknown tool/)
    const decision = await recordedDecision(state, id)
    expect(decision?.action, JSON.stringify(decision)).toBe('deny')
    return decision
  }

  const linked = `${root}/public/up/secret/key.txt`

  it('controls: the public and globbed files are read, so the refusals below are the gate', async () => {
    expect(answerText((await send('read_text_file', {path: `${root}/public/ok.txt`})).answer)).toContain('public')
    expect(answerText((await send('read_text_file', {path: `${root}/globbed/g.txt`})).answer)).toContain('globbed')
  })

  it('P01–P03, P21, P26: a link public/up → ROOT is followed at every ancestor (read, write, mkdir -p, list, through a second link)', async () => {
    expect((await expectRefused('read_text_file', {path: linked}))?.rule).toBe('secret-denied')
    await expectRefused('write_file', {path: `${root}/public/up/secret/planted.txt`, content: 'x'})
    const deep = Array.from({length: 300}, (_, i) => `d${i}`).join('/')
    await expectRefused('create_directory', {path: `${root}/public/up/secret/${deep}`})
    await expectRefused('list_directory', {path: `${root}/public/up/secret`})
    await expectRefused('read_text_file', {path: `${root}/public/alias/secret/key.txt`})
    expect(readdirSync(join(root, 'secret'))).toEqual(['key.txt'])
  })

  it('P04–P05: the same link reached through ~/…', async () => {
    await expectRefused('read_text_file', {path: '~/up2/secret/key.txt'})
    await expectRefused('read_text_file', {path: '~/../up/secret/key.txt'})
  })

  it('P06–P07: the link behind a path padded past 4,096 characters with /./ or //', async () => {
    await expectRefused('read_text_file', {path: `${root}/public${'/.'.repeat(3000)}/up/secret/key.txt`})
    await expectRefused('read_text_file', {path: `${root}/public${'/'.repeat(5000)}up/secret/key.txt`})
  })

  it('P08–P10: the link after 64 decoy paths, in the list and in another argument; a secret among 200 public paths', async () => {
    const decoys = Array.from({length: 64}, (_, i) => `${root}/public/decoy-${i}.txt`)
    await expectRefused('read_multiple_files', {paths: [...decoys, linked]})
    await expectRefused('read_text_file', {decoys, path: linked})
    const many = Array.from({length: 200}, () => `${root}/public/ok.txt`)
    await expectRefused('read_multiple_files', {paths: [...many, `${root}/secret/key.txt`]})
  })

  it('P11–P12: an allow glob ROOT/globbed/** is not satisfied by a path that leaves it', async () => {
    await expectRefused('read_text_file', {path: `${root}/globbed/./a/../../private/key2.txt`})
    await expectRefused('read_text_file', {path: `${root}/globbed/../private/key2.txt`})
  })

  it('P13–P15: \\, %2f and full-width ／ are characters on Linux: a write into secret/ stays refused and nothing lands there', async () => {
    for (const name of ['a\\..\\..\\public\\pwn', 'a%2f..%2f..%2fpublic%2fpwn', 'a／..／..／public／pwn']) {
      expect((await expectRefused('write_file', {path: `${root}/secret/${name}`, content: 'pwned'}))?.rule).toBe('secret-denied')
    }

    expect(readdirSync(join(root, 'secret'))).toEqual(['key.txt'])
    expect(existsSync(join(root, 'public', 'pwn'))).toBe(false)
  })

  it('P16–P20, P22–P24: what cannot be placed is undecided and refused (relative, .. after a link, a loop, NUL, a file: URI, case, /.)', async () => {
    await expectRefused('read_text_file', {path: 'secret/key.txt'})
    await expectRefused('read_text_file', {path: 'public/../secret/key.txt'})
    await expectRefused('read_text_file', {path: `${root}/public/up/../secret/key.txt`})
    await expectRefused('read_text_file', {path: `${root}/public/loop/x`})
    await expectRefused('read_text_file', {path: `${root}/public/ok.txt\u0000/../../secret/key.txt`})
    await expectRefused('read_text_file', {path: `file://${root}/secret/key.txt`})
    await expectRefused('read_text_file', {path: `${root}/Secret/key.txt`})
    await expectRefused('list_directory', {path: `${root}/public/up/secret/.`})
  })

  it('the same attacks over the HTTP face (raw POSTs with a bearer token) are refused and recorded', async () => {
    const httpState = join(dir.path, 'http-state')
    const http = await startRawHttpProxy({stateDir: httpState, policy, command: [process.execPath, SERVERS.filesystem, root], agents: ['mallory']})
    try {
      const session = await http.session('mallory')
      const attempts: Array<[string, Record<string, unknown>]> = [
        ['h-P01', {name: 'read_text_file', arguments: {path: linked}}],
        ['h-P06', {name: 'read_text_file', arguments: {path: `${root}/public${'/.'.repeat(3000)}/up/secret/key.txt`}}],
        ['h-P08', {name: 'read_multiple_files', arguments: {paths: [...Array.from({length: 64}, (_, i) => `${root}/public/d${i}`), linked]}}],
        ['h-P13', {name: 'write_file', arguments: {path: `${root}/secret/a\\..\\..\\public\\pwn`, content: 'x'}}],
      ]
      for (const [id, params] of attempts) {
        const answer = await session.send({id, method: 'tools/call', params})
        expect(answer && refused(answer), `${id} ${JSON.stringify(answer)}`).toBe(true)
        expect(JSON.stringify(answer)).not.toContain(SECRET)
        expect((await recordedDecision(httpState, id))?.action).toBe('deny')
      }

      const ok = await session.send({id: 'h-ok', method: 'tools/call', params: {name: 'read_text_file', arguments: {path: `${root}/public/ok.txt`}}})
      expect(JSON.stringify(ok)).toContain('public')
      expect(readdirSync(join(root, 'secret'))).toEqual(['key.txt'])
    } finally {
      await http.close()
    }
  })
})
