import {isDeepStrictEqual} from 'node:util'

import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'

import {compilePolicy} from '../../../src/policy/compile.js'
import type {Decision, PolicyCall} from '../../../src/policy/types.js'
import {type Decoded, decodeText, type JsonRpcMessage, type JsonRpcRequest} from '../../../src/proxy/jsonrpc.js'
import {PinStore} from '../../../src/proxy/pins.js'
import type {ApprovalAnswer} from '../../../src/approvals/types.js'
import type {PolicyPort} from '../../../src/proxy/ports.js'
import {ProxySession} from '../../../src/proxy/session.js'
import type {Transport} from '../../../src/proxy/transport.js'
import {tempDir} from '../../helpers/tree.js'

/** One side of the pump in memory: what the session sent, and a way to feed it decoded lines. */
class MemoryTransport implements Transport {
  ondecoded?: (decoded: Decoded) => void
  onclose?: (info: {code?: number | null; signal?: NodeJS.Signals | null}) => void
  onerror?: (error: Error) => void
  readonly sent: JsonRpcMessage[] = []
  onsend?: (message: JsonRpcMessage) => void
  async start(): Promise<void> {}
  send(message: JsonRpcMessage): void {
    this.sent.push(message)
    this.onsend?.(message)
  }

  async close(): Promise<void> {
    this.onclose?.({})
  }

  feed(line: string): void {
    this.ondecoded?.(decodeText(line))
  }
}

const SETTINGS = compilePolicy('policies: []\n', 'fuzz.yaml').settings
const TOOLS = [
  {name: 'read', inputSchema: {type: 'object'}},
  {name: 'write', inputSchema: {type: 'object'}},
  {name: 'hidden', inputSchema: {type: 'object'}},
]

/** Decides by tool name and remembers every call it decided, so forwarding can be checked against it. */
function spyPolicy(): PolicyPort & {decided: Array<{call: PolicyCall; decision: Decision}>} {
  const decided: Array<{call: PolicyCall; decision: Decision}> = []
  const actionFor = (tool: string): Decision['action'] => (tool === 'read' ? 'allow' : tool === 'write' ? 'human_approval' : 'deny')
  return {
    decided,
    decide(call) {
      const decision: Decision = {action: actionFor(call.tool), policy: 'fuzz', rule: `r-${call.tool}`, reason: 'fuzz'}
      decided.push({call, decision})
      return decision
    },
    visible: (_agent, _server, tool) => tool !== 'hidden',
    settings: () => SETTINGS,
    killed: () => undefined,
  }
}

const id = fc.oneof(fc.integer({min: -5, max: 50}), fc.constantFrom('a', 'b', '', '1'))
const toolName = fc.constantFrom('read', 'write', 'hidden', 'nope', 'READ', 'rеad', '')
const clientLine = fc.oneof(
  id.chain((i) => toolName.map((name) => JSON.stringify({jsonrpc: '2.0', id: i, method: 'tools/call', params: {name, arguments: {path: '/x'}}}))),
  id.map((i) => JSON.stringify({jsonrpc: '2.0', id: i, method: 'tools/list'})),
  id.map((i) => JSON.stringify({jsonrpc: '2.0', id: i, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'fuzz', version: '1'}}})),
  id.map((i) => JSON.stringify({jsonrpc: '2.0', id: i, method: 'ping'})),
  id.map((i) => JSON.stringify({jsonrpc: '2.0', id: i, method: 'resources/read', params: {uri: 'file:///x'}})),
  fc.constant(JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'})),
  toolName.map((name) => JSON.stringify({jsonrpc: '2.0', method: 'tools/call', params: {name, arguments: {}}})),
  id.map((i) => JSON.stringify({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: i}})),
  id.map((i) => JSON.stringify({jsonrpc: '2.0', id: i, result: {action: 'accept', content: {approve: true}}})),
  id.map((i) => `{"jsonrpc":"2.0","id":${JSON.stringify(i)},"method":"tools/call","params":{"name":"hidden","name":"read"}}`),
  id.map((i) => `[${JSON.stringify({jsonrpc: '2.0', id: i, method: 'ping'})}]`),
  id.map((i) => JSON.stringify({jsonrpc: '1.0', id: i, method: 'ping'})),
  id.map((i) => JSON.stringify({jsonrpc: '2.0', id: i, method: 'tools/call', params: {name: 'read', arguments: [1]}})),
  fc.string({maxLength: 40}),
  fc.json({maxDepth: 3}),
)
const serverLine = fc.oneof(
  fc.constant(JSON.stringify({jsonrpc: '2.0', method: 'notifications/tools/list_changed'})),
  fc.integer({min: 0, max: 60}).map((i) => JSON.stringify({jsonrpc: '2.0', id: i, result: {forged: true}})),
  fc.integer({min: 0, max: 60}).map((i) => JSON.stringify({jsonrpc: '2.0', id: i, method: 'sampling/createMessage', params: {}})),
  fc.string({maxLength: 30}),
)
const step = fc.oneof({arbitrary: clientLine.map((line) => ({from: 'client' as const, line})), weight: 4}, {arbitrary: serverLine.map((line) => ({from: 'server' as const, line})), weight: 1})

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
}

describe('the message pump under random traffic from both sides', () => {
  const dir = tempDir('agentgov-fuzz-')
  afterAll(() => dir.cleanup())

  it('never throws, answers every client request exactly once, and forwards only decoded, decided messages', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, {maxLength: 40}), fc.constantFrom<ApprovalAnswer['outcome']>('approved', 'denied', 'timeout'), async (steps, outcome) => {
        const client = new MemoryTransport()
        const upstream = new MemoryTransport()
        const policy = spyPolicy()
        const logged: string[] = []
        const session = new ProxySession({
          agent: 'fuzz',
          server: 'srv',
          client,
          upstream,
          policy,
          pins: new PinStore(dir.path, 'srv'),
          transport: 'pipe',
          log: (message) => logged.push(message),
          askCli: async () => ({outcome, approver: 'fuzz', channel: 'cli'}),
        })
        // A well-behaved server: it answers every request it is sent, once.
        upstream.onsend = (message) => {
          if (!('method' in message) || !('id' in message)) return
          const result = message.method === 'tools/list' ? {tools: TOOLS} : message.method === 'initialize' ? {protocolVersion: '2025-06-18', capabilities: {tools: {}}, serverInfo: {name: 's', version: '1'}} : {content: [{type: 'text', text: 'ok'}]}
          queueMicrotask(() => upstream.feed(JSON.stringify({jsonrpc: '2.0', id: message.id, result})))
        }

        await session.start()
        const decodedRequests: JsonRpcRequest[] = []
        // A JSON object that breaks the protocol but carries an id is owed its invalid-request answer.
        const refusedIds: unknown[] = []
        for (const {from, line} of steps) {
          if (from === 'client') {
            const decoded = decodeText(line)
            if (decoded.kind === 'request') decodedRequests.push(decoded.message)
            if (decoded.kind === 'violation' && decoded.id !== undefined) refusedIds.push(decoded.id)
            client.feed(line)
          } else {
            upstream.feed(line)
          }

          await settle()
        }

        await settle()
        // Exactly once per request: count answers per id against requests per id (ids may repeat
        // after the first is answered, and a reuse in flight gets its own refusal).
        const answers = new Map<string, number>()
        for (const message of client.sent) if ('id' in message && !('method' in message)) answers.set(JSON.stringify(message.id), (answers.get(JSON.stringify(message.id)) ?? 0) + 1)
        const asked = new Map<string, number>()
        for (const requestId of [...decodedRequests.map((r) => r.id), ...refusedIds]) asked.set(JSON.stringify(requestId), (asked.get(JSON.stringify(requestId)) ?? 0) + 1)
        for (const [key, count] of asked) expect(answers.get(key) ?? 0, `answers to id ${key}`).toBe(count)
        for (const key of answers.keys()) if (key !== 'null') expect(asked.has(key), `an answer to id ${key} nobody asked`).toBe(true)

        for (const message of upstream.sent) {
          if (!('method' in message)) continue
          // tools/list is the one request the proxy makes itself (annotations and pins, on list_changed).
          if (message.method === 'tools/list') continue
          if (message.method.startsWith('notifications/')) continue
          const origin = decodedRequests.find((r) => r.method === message.method && isDeepStrictEqual(r.params, (message as JsonRpcRequest).params))
          expect(origin, `forwarded ${JSON.stringify(message)} was never decoded from the client`).toBeDefined()
          if (message.method === 'tools/call') {
            const name = (message as JsonRpcRequest).params?.name
            const decision = policy.decided.find((d) => d.call.tool === name)
            expect(decision, `tools/call ${String(name)} forwarded without a decision`).toBeDefined()
            expect(['allow', 'audit', 'human_approval']).toContain(decision?.decision.action)
            if (decision?.decision.action === 'human_approval') expect(outcome).toBe('approved')
          }
        }

        await session.close(null, 'fuzz over')
      }),
      {numRuns: 150},
    )
  })
})
