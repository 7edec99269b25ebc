import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {call, childPids, type RawProxy, startRawProxy} from '../helpers/raw-proxy.js'
import {SERVERS} from '../helpers/mcp.js'
import {eventually, tempDir} from '../helpers/tree.js'

const POLICY = `policies:
  - name: abuse
    agent: "*"
    rules:
      - id: echo
        tools: ["ev.echo", "ev.trigger-long-running-operation"]
        action: allow
      - id: no-env
        tools: ["ev.get-env"]
        action: deny
`

const isAnswerTo = (id: unknown) => (m: Record<string, unknown>) => m.id === id
const errorCode = (m: Record<string, unknown>) => (m.error as {code?: number} | undefined)?.code
const echoed = (m: Record<string, unknown>) => JSON.stringify(m.result ?? m.error ?? null)

describe('the proxy under abuse from the client', () => {
  const dir = tempDir()
  let proxy: RawProxy

  beforeAll(async () => {
    proxy = startRawProxy({stateDir: dir.path, policy: POLICY})
  })
  afterAll(() => {
    proxy.child.kill()
    dir.cleanup()
  })

  it('refuses a tools/call before initialize', async () => {
    proxy.send(call(1, 'echo', {message: 'too early'}))
    expect(errorCode(await proxy.next(isAnswerTo(1)))).toBe(-32600)
    await proxy.initialize()
  })

  it('drops lines that are not one JSON object without answering them, and goes on', async () => {
    proxy.send('this is not json')
    proxy.send('\uFEFF' + call(2, 'echo', {message: 'bom'}))
    proxy.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]))
    proxy.send(call(3, 'echo', {message: 'a'}) + ' ' + call(4, 'echo', {message: 'b'}))
    proxy.send(call(5, 'echo', {message: 'after the garbage'}))
    expect(echoed(await proxy.next(isAnswerTo(5)))).toContain('after the garbage')
    expect(proxy.messages.some((m) => [2, 3, 4].includes(m.id as number))).toBe(false)
    expect(proxy.stderr()).toContain('refused a message from the client')
  })

  it('answers batches, wrong jsonrpc and duplicate keys with -32600, and forwards none of them', async () => {
    proxy.send(`[${call(6, 'echo', {message: 'batched'})}]`)
    proxy.send(JSON.stringify({jsonrpc: '1.0', id: 7, method: 'tools/call', params: {name: 'echo', arguments: {message: 'v1'}}}))
    // The gate would read "echo"; a server keeping the first key would run get-env.
    proxy.send('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"get-env","name":"echo","arguments":{"message":"dup"}}}')
    proxy.send(call(9, 'echo', {message: 'sync'}))
    await proxy.next(isAnswerTo(9))
    expect(errorCode(await proxy.next(isAnswerTo(7)))).toBe(-32600)
    const refusals = proxy.messages.filter((m) => m.id === null)
    expect(refusals.map(errorCode)).toEqual([-32600, -32600])
    expect(proxy.messages.some((m) => m.id === 8 || echoed(m).includes('batched') || echoed(m).includes('dup'))).toBe(false)
  })

  it('does not run a tools/call sent as a notification', async () => {
    proxy.send(JSON.stringify({jsonrpc: '2.0', method: 'tools/call', params: {name: 'echo', arguments: {message: 'sneaky'}}}))
    proxy.send(call(10, 'echo', {message: 'sync'}))
    await proxy.next(isAnswerTo(10))
    expect(proxy.messages.some((m) => echoed(m).includes('sneaky'))).toBe(false)
  })

  it('refuses a request id still in flight, and answers the first one exactly once', async () => {
    proxy.send(call(11, 'trigger-long-running-operation', {duration: 1, steps: 2}))
    proxy.send(call(11, 'echo', {message: 'reused id'}))
    expect(errorCode(await proxy.next(isAnswerTo(11)))).toBe(-32600)
    await proxy.next((m) => m.id === 11 && m.result !== undefined, 5000)
    expect(proxy.messages.filter((m) => m.id === 11)).toHaveLength(2)
    expect(proxy.messages.some((m) => echoed(m).includes('reused id'))).toBe(false)
  })

  it('hides a denied tool: -32602 as for an unknown tool', async () => {
    proxy.send(call(12, 'get-env'))
    expect(errorCode(await proxy.next(isAnswerTo(12)))).toBe(-32602)
  })

  it('decodes and decides a 50 MB request', async () => {
    // SDK-based servers read stdio quadratically, so the request is one the proxy answers itself.
    proxy.send(call(13, 'get-env', {padding: 'x'.repeat(50 * 1024 * 1024)}))
    expect(errorCode(await proxy.next(isAnswerTo(13), 30_000))).toBe(-32602)
  })

  it('records what it refused in the trace store', async () => {
    const read = () => {
      const files = readdirSync(`${dir.path}/traces`, {recursive: true}) as string[]
      return files.filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(`${dir.path}/traces/${f}`, 'utf8')).join('')
    }

    const text = await eventually(read, (all) => all.includes('notification-as-request'))
    expect(text).toContain('"subject":{"kind":"message","name":"client:duplicate-keys"}')
    expect(text).toContain('"subject":{"kind":"message","name":"client:batch"}')
    expect(text).toContain('"subject":{"kind":"message","name":"client:notification-as-request"}')
  })
})

describe('a 50 MB answer from the real filesystem server', () => {
  it('passes through the proxy whole', async () => {
    const dir = tempDir()
    mkdirSync(join(dir.path, 'root'))
    writeFileSync(join(dir.path, 'root', 'big.txt'), 'y'.repeat(50 * 1024 * 1024))
    const policy = 'policies:\n  - name: big\n    agent: "*"\n    rules:\n      - tools: ["ev.read_text_file"]\n        action: allow\n'
    const proxy = startRawProxy({stateDir: dir.path, policy, command: [process.execPath, SERVERS.filesystem, join(dir.path, 'root')]})
    await proxy.initialize()
    proxy.send(call(1, 'read_text_file', {path: join(dir.path, 'root', 'big.txt')}))
    const answer = await proxy.next(isAnswerTo(1), 60_000)
    expect((answer.result as {content: Array<{text: string}>}).content[0].text).toHaveLength(50 * 1024 * 1024)
    proxy.child.kill()
    dir.cleanup()
  })
})

describe('the proxy when a side goes away', () => {
  it('answers pending requests with an error and exits with the server\'s code when the server dies', async () => {
    const dir = tempDir()
    const proxy = startRawProxy({stateDir: dir.path, policy: POLICY})
    await proxy.initialize()
    proxy.send(call(1, 'trigger-long-running-operation', {duration: 30, steps: 30}))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const children = childPids(proxy.child.pid as number)
    expect(children.length).toBeGreaterThan(0)
    for (const pid of children) process.kill(pid, 'SIGKILL')
    const answer = await proxy.next(isAnswerTo(1))
    expect(errorCode(answer)).toBe(-32603)
    expect(await proxy.exited).not.toBe(0)
    dir.cleanup()
  })

  it('gives the server EOF when the client closes stdin, and exits cleanly', async () => {
    const dir = tempDir()
    const proxy = startRawProxy({stateDir: dir.path, policy: POLICY})
    await proxy.initialize()
    proxy.child.stdin.end()
    expect(await proxy.exited).toBe(0)
    dir.cleanup()
  })

  it('refuses to start without a policy that loads, saying where it broke', async () => {
    const dir = tempDir()
    const proxy = startRawProxy({stateDir: dir.path, policy: 'policies:\n  - name: x\n    rules:\n      - tools: [a]\n        action: alow\n'})
    expect(await proxy.exited).toBe(3)
    expect(proxy.stderr()).toMatch(/policy\.yaml:\d+:\d+: /)
    dir.cleanup()
  })
})
