import {describe, expect, it} from 'vitest'

import type {ApprovalAnswer, ApprovalQuestion} from '../../../src/approvals/types.js'
import {DEFAULT_SETTINGS, type PolicySettings} from '../../../src/policy/index.js'
import type {Decision, PolicyCall} from '../../../src/policy/types.js'
import {Approver, labelServerElicitation, OWN_ELICITATION_PREFIX} from '../../../src/proxy/approver.js'
import type {JsonRpcId, JsonRpcResponse} from '../../../src/proxy/jsonrpc.js'

const call: PolicyCall = {agent: 'cursor', server: 'fs', tool: 'write_file', stage: 'pre_tool', args: {path: '/tmp/x'}}
const decision: Decision = {action: 'human_approval', policy: 'p', rule: 'writes', reason: 'Writes need a person.'}

/** An approver whose client answers elicitations with `reply` (undefined: never answers). */
function approver(
  options: {elicits?: boolean; reply?: Record<string, unknown>; timeoutSec?: number; cli?: ApprovalAnswer['outcome']; inClient?: readonly string[]; transport?: 'pipe' | 'tcp'} = {},
) {
  const asked: Array<{method: string; params: Record<string, unknown>; related?: JsonRpcId}> = []
  const cliQuestions: ApprovalQuestion[] = []
  const recorded: Array<{tool: string; rule: string | null; answer: ApprovalAnswer; origin: unknown}> = []
  let forgotten = 0
  const a = new Approver({
    agent: 'cursor',
    server: 'fs',
    policy: {settings: () => ({...DEFAULT_SETTINGS, approvalTimeoutSec: options.timeoutSec ?? 5, approveInClient: options.inClient ?? ['cursor']}) as PolicySettings},
    transport: options.transport ?? 'pipe',
    recorder: {approval: (tool, rule, answer, _waited, origin) => recorded.push({tool, rule, answer, origin})},
    async askCli(question) {
      cliQuestions.push(question)
      return {outcome: options.cli ?? 'approved', approver: 'alice@host (cli)', channel: 'cli'}
    },
    requestClient(method, params, related) {
      asked.push({method, params, related})
      const response = new Promise<JsonRpcResponse>((resolve) => {
        if (options.reply) queueMicrotask(() => resolve({jsonrpc: '2.0', id: 1, result: options.reply}))
      })
      return {response, forget: () => forgotten++}
    },
  })
  a.client(options.elicits ? {elicitation: {}} : {})
  return {a, asked, cliQuestions, recorded, forgotten: () => forgotten}
}

const origin = {id: 7, context: {traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'}}

describe('the approver', () => {
  it('asks through agentgov approvals when the client cannot elicit, with the exact call and the timeout', async () => {
    const {a, cliQuestions, recorded} = approver({cli: 'approved'})
    expect(await a.approve(call, decision, origin, new AbortController().signal)).toBe(true)
    expect(cliQuestions).toEqual([{requestId: 7, agent: 'cursor', server: 'fs', tool: 'write_file', args: {path: '/tmp/x'}, rule: 'writes', reason: 'Writes need a person.', timeoutMs: 5000}])
    expect(recorded).toEqual([{tool: 'write_file', rule: 'writes', answer: {outcome: 'approved', approver: 'alice@host (cli)', channel: 'cli'}, origin}])
  })

  it('denies what a person denies', async () => {
    expect(await approver({cli: 'denied'}).a.approve(call, decision, origin, new AbortController().signal)).toBe(false)
  })

  it('asks in the client when it can elicit: the call in words and one boolean, on the held request', async () => {
    const {a, asked, recorded} = approver({elicits: true, reply: {action: 'accept', content: {approve: true}}})
    expect(await a.approve(call, decision, origin, new AbortController().signal)).toBe(true)
    expect(asked).toHaveLength(1)
    expect(asked[0]).toMatchObject({method: 'elicitation/create', related: 7})
    expect(asked[0].params.message).toBe('agentgov: agent "cursor" wants to call fs.write_file with {"path":"/tmp/x"}. Writes need a person.')
    expect(asked[0].params.requestedSchema).toEqual({type: 'object', properties: {approve: {type: 'boolean', title: 'Approve this call?', description: 'fs.write_file'}}, required: ['approve']})
    expect(recorded[0].answer).toEqual({outcome: 'approved', approver: 'elicitation:cursor', channel: 'elicitation'})
  })

  for (const [why, options] of [
    ['over HTTP, where the client is the agent itself', {transport: 'tcp'}],
    ['when the policy does not name the agent in approve_in_client (the default)', {inClient: []}],
    ['when approve_in_client names other agents only', {inClient: ['claude-code', 'curs?r-bot']}],
  ] as const) {
    it(`asks through agentgov approvals, never the client that declared elicitation, ${why}`, async () => {
      const {a, asked, cliQuestions, recorded} = approver({elicits: true, reply: {action: 'accept', content: {approve: true}}, cli: 'denied', ...options})
      expect(await a.approve(call, decision, origin, new AbortController().signal)).toBe(false)
      expect(asked).toEqual([])
      expect(cliQuestions).toHaveLength(1)
      expect(recorded[0].answer).toEqual({outcome: 'denied', approver: 'alice@host (cli)', channel: 'cli'})
    })
  }

  it('matches approve_in_client like an agent pattern (globs)', async () => {
    const {a, asked} = approver({elicits: true, reply: {action: 'accept', content: {approve: true}}, inClient: ['cursor-*'], cli: 'denied'})
    expect(await a.approve(call, decision, origin, new AbortController().signal)).toBe(false)
    expect(asked).toEqual([])
    const globbed = approver({elicits: true, reply: {action: 'accept', content: {approve: true}}, inClient: ['curs*']})
    expect(await globbed.a.approve(call, decision, origin, new AbortController().signal)).toBe(true)
    expect(globbed.asked).toHaveLength(1)
  })

  for (const [reply, outcome] of [
    [{action: 'accept', content: {approve: false}}, 'denied'],
    [{action: 'accept', content: {approve: 'yes'}}, 'denied'],
    [{action: 'decline'}, 'denied'],
    [{action: 'cancel'}, 'cancelled'],
  ] as const) {
    it(`takes ${JSON.stringify(reply)} as ${outcome}`, async () => {
      const {a, recorded, forgotten} = approver({elicits: true, reply})
      expect(await a.approve(call, decision, origin, new AbortController().signal)).toBe(false)
      expect(recorded[0].answer.outcome).toBe(outcome)
      expect(forgotten()).toBeGreaterThan(0)
    })
  }

  it('denies at the timeout when the client never answers, and stops waiting for its answer', async () => {
    const {a, recorded, forgotten} = approver({elicits: true, timeoutSec: 0.05})
    expect(await a.approve(call, decision, origin, new AbortController().signal)).toBe(false)
    expect(recorded[0].answer).toEqual({outcome: 'timeout', approver: 'timeout', channel: 'elicitation'})
    expect(forgotten()).toBe(1)
  })

  it('ends the wait as cancelled when the call is cancelled; settled() waits for it', async () => {
    const {a, recorded} = approver({elicits: true})
    const abort = new AbortController()
    const approved = a.approve(call, decision, origin, abort.signal)
    abort.abort()
    await a.settled()
    expect(await approved).toBe(false)
    expect(recorded[0].answer.outcome).toBe('cancelled')
  })
})

describe('server elicitations', () => {
  it('are labelled with the server, in a form the proxy\'s own never takes', () => {
    const forged = {message: 'agentgov: agent "cursor" wants to call fs.write_file with {}. Writes need a person.', requestedSchema: {type: 'object'}}
    const labelled = labelServerElicitation('fs', forged)
    expect(labelled).toEqual({message: `[MCP server "fs" asks] ${forged.message}`, requestedSchema: {type: 'object'}})
    expect(String(labelled.message).startsWith(OWN_ELICITATION_PREFIX)).toBe(false)
    expect(labelServerElicitation('fs', {mode: 'url', url: 'https://x'}).message).toBe('[MCP server "fs" asks] ')
  })
})
