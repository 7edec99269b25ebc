import {afterEach, describe, expect, it} from 'vitest'

import {DEFAULT_SETTINGS, type PolicySettings} from '../../../src/policy/index.js'
import {digestOf} from '../../../src/digest.js'
import {SessionRecorder} from '../../../src/proxy/recorder.js'
import {createTelemetry} from '../../../src/telemetry/index.js'
import {readStore} from '../../../src/telemetry/store/read.js'
import {tracesDir} from '../../../src/telemetry/store/segments.js'
import type {StoredRecord} from '../../../src/telemetry/types.js'
import {tempDir} from '../../helpers/tree.js'

const TRACE = '0af7651916cd43dd8448eb211c80319c'
const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

/** A recorder over a real telemetry with a real store (no OTLP); `done` shuts it down and reads the store. */
async function recorder(recordArguments: PolicySettings['recordArguments'] = 'digest') {
  const dir = tempDir('agentgov-recorder-')
  cleanups.push(dir.cleanup)
  const telemetry = await createTelemetry({stateDir: dir.path, env: {}, warn: () => {}})
  const log: string[] = []
  const r = new SessionRecorder({agent: 'cursor', server: 'fs', telemetry, policy: {settings: () => ({...DEFAULT_SETTINGS, recordArguments}) as PolicySettings}, transport: 'pipe', log: (m) => log.push(m)})
  return {
    r,
    log,
    async done(): Promise<StoredRecord[]> {
      await telemetry.shutdown()
      return readStore(tracesDir(dir.path))
    },
  }
}

describe('the session recorder', () => {
  it('writes a decision as the call and the decision are, plus what telemetry adds', async () => {
    const {r, done} = await recorder()
    const args = {path: '/etc/passwd'}
    r.decision(
      {tool: 'read', stage: 'pre_tool', args},
      {action: 'deny', policy: 'p', rule: 'no-etc', reason: 'No /etc.', condition: 'path under /etc'},
      12.5,
      {id: 3, context: {traceparent: `00-${TRACE}-b7ad6b7169203331-01`}},
    )
    const [record] = await done()
    expect(record).toMatchObject({kind: 'decision', agent: 'cursor', server: 'fs', tool: 'read', stage: 'pre_tool', action: 'deny', policy: 'p', rule: 'no-etc', reason: 'No /etc.', condition: 'path under /etc', latencyUs: 12.5, requestId: 3, traceId: TRACE})
    expect(record.argsDigest).toBe(digestOf(args))
    expect(record.args).toBeUndefined()
    expect(typeof record.time).toBe('number')
  })

  it('keeps a check’s own fields: hidden, findings', async () => {
    const {r, done} = await recorder()
    r.decision({tool: 'rm', stage: 'pre_tool', args: {}}, {action: 'deny', policy: null, rule: null, reason: 'tool "rm" is hidden by policy', hidden: true}, 1, {id: 1})
    r.decision({tool: 'read', stage: 'post_tool'}, {action: 'audit', policy: null, rule: null, reason: '1 finding(s) in the result', findings: [{kind: 'instruction', detail: 'ignore previous'}]}, 0, {id: 1})
    const [hidden, post] = await done()
    expect(hidden.hidden).toBe(true)
    expect(post.findings).toEqual([{kind: 'instruction', detail: 'ignore previous'}])
    expect(post.argsDigest).toBeUndefined()
  })

  it('records the arguments, redacted, only when the policy opts in', async () => {
    const {r, done} = await recorder('redacted')
    r.decision({tool: 'send', stage: 'pre_tool', args: {token: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', to: 'bob'}}, {action: 'allow', policy: 'p', rule: 'r', reason: 'ok'}, 1, {id: 2})
    const [record] = await done()
    expect(record.args).toMatchObject({to: 'bob'})
    expect(JSON.stringify(record.args)).not.toContain('ghp_0123456789abcdefghijklmnopqrstuvwxyzAB')
  })

  it('writes approvals and trust checks in the record shape; a refused message is said and recorded', async () => {
    const {r, log, done} = await recorder()
    r.approval('write', 'writes', {outcome: 'timeout', approver: 'timeout', channel: 'cli'}, 1000, {id: 4})
    r.trust({kind: 'server-request', name: 'sampling/createMessage'}, true)
    r.refused('client', 'batch', 'JSON-RPC batches are not part of MCP')
    const [approval, request, refused] = await done()
    expect(approval).toMatchObject({kind: 'approval', tool: 'write', stage: 'pre_tool', rule: 'writes', requestId: 4, approval: {outcome: 'timeout', approver: 'timeout', channel: 'cli', waitedMs: 1000}})
    expect(request).toMatchObject({kind: 'trust', trust: {subject: {kind: 'server-request', name: 'sampling/createMessage'}, ok: true}})
    expect(refused).toMatchObject({kind: 'trust', trust: {subject: {kind: 'message', name: 'client:batch'}, ok: false, detail: 'JSON-RPC batches are not part of MCP'}})
    expect(log).toEqual(['refused a message from the client: JSON-RPC batches are not part of MCP'])
  })

  it('records nothing and reports a healthy store without telemetry', () => {
    const r = new SessionRecorder({agent: 'a', server: 's', policy: {settings: () => DEFAULT_SETTINGS}, transport: 'pipe', log: () => {}})
    r.decision({tool: 't', stage: 'pre_tool', args: {}}, {action: 'allow', policy: null, rule: null, reason: ''}, 1)
    expect(r.storeFailing()).toBe(false)
    expect(r.request({jsonrpc: '2.0', id: 1, method: 'ping'}, undefined, undefined)).toBeUndefined()
  })
})
