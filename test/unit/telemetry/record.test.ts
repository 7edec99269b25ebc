import {describe, expect, it} from 'vitest'

import {recordsOf, toOtlpJsonLines} from '../../../src/telemetry/otlp-json.js'
import {type DecisionRecord, parseTraceparent, readRecord, type StoredRecord, SUBJECT_KINDS, subjectOf, subjectText} from '../../../src/telemetry/record.js'

const HASH = 'ab'.repeat(32)

function stored(record: DecisionRecord): StoredRecord {
  return {...record, id: 'seg:1', seq: 1, prev: '0'.repeat(64), hash: HASH}
}

/** Through `traces export`'s writer and `report`'s reader: what an OTLP JSON file gives back. */
function roundTrip(record: DecisionRecord): DecisionRecord {
  const [line] = toOtlpJsonLines([stored(record)])
  const [back] = recordsOf(JSON.parse(line) as Parameters<typeof recordsOf>[0])
  return back
}

describe('trust subjects', () => {
  it('are written as <kind>:<name> and read back as the same kind and name, a colon in the name kept', () => {
    for (const kind of SUBJECT_KINDS.filter((k) => k !== 'other')) {
      const subject = {kind, name: 'client:bad-jsonrpc'}
      expect(subjectText(subject)).toBe(`${kind}:client:bad-jsonrpc`)
      expect(subjectOf(subjectText(subject))).toEqual(subject)
    }
  })

  it('reads a subject of a kind it does not know as other, whole', () => {
    expect(subjectOf('agent-token:cursor')).toEqual({kind: 'other', name: 'agent-token:cursor'})
    expect(subjectOf('no colon')).toEqual({kind: 'other', name: 'no colon'})
    expect(subjectOf('other:x')).toEqual({kind: 'other', name: 'other:x'})
    expect(subjectText({kind: 'other', name: 'agent-token:cursor'})).toBe('agent-token:cursor')
  })
})

describe('one attribute table, both directions of OTLP JSON', () => {
  const time = 1_800_000_000_000
  it('a decision comes back with its contract fields and its latency from the span duration', () => {
    const record: DecisionRecord = {kind: 'decision', time, agent: 'cursor', server: 'gh', tool: 'merge', stage: 'pre_tool', action: 'deny', policy: 'team', rule: 'no-merge', reason: 'r', latencyUs: 250, traceId: 'cd'.repeat(16)}
    expect(roundTrip(record)).toEqual({kind: 'decision', time, agent: 'cursor', server: 'gh', tool: 'merge', stage: 'pre_tool', action: 'deny', policy: 'team', rule: 'no-merge', latencyUs: 250, traceId: 'cd'.repeat(16)})
  })

  it('a decision with no rule or policy reads back as null for both (the default deny)', () => {
    const back = roundTrip({kind: 'decision', time, agent: 'a', server: 's', tool: 't', stage: 'pre_tool', action: 'deny', policy: null, rule: null, reason: 'r', latencyUs: 0})
    expect(back).toMatchObject({rule: null, policy: null, action: 'deny'})
  })

  it('an approval comes back with its outcome, approver, channel and wait', () => {
    const record: DecisionRecord = {kind: 'approval', time, agent: 'a', server: 's', tool: 'write', rule: 'ask', approval: {outcome: 'approved', approver: 'alice@host (cli)', channel: 'cli', waitedMs: 1500}}
    expect(roundTrip(record)).toMatchObject({kind: 'approval', agent: 'a', tool: 'write', rule: 'ask', approval: {outcome: 'approved', approver: 'alice@host (cli)', channel: 'cli', waitedMs: 1500}})
  })

  it('a trust record comes back with its subject as kind and name (the span has no result)', () => {
    const record: DecisionRecord = {kind: 'trust', time, agent: 'a', server: 's', trust: {subject: {kind: 'tool-pin', name: 'weather'}, ok: false, score: 0.5, tier: 'low'}}
    expect(roundTrip(record)).toMatchObject({kind: 'trust', agent: 'a', trust: {subject: {kind: 'tool-pin', name: 'weather'}, score: 0.5, tier: 'low'}})
    expect(roundTrip(record).trust?.ok).toBeUndefined()
  })
})

describe('records of the previous version (legacy)', () => {
  it('reads a trust subject written as text as its kind and name', () => {
    const old = {kind: 'trust', time: 1, agent: 'a', server: 's', trust: {subject: 'tool-description:add', ok: false}} as unknown as DecisionRecord
    expect(readRecord(old).trust?.subject).toEqual({kind: 'tool-description', name: 'add'})
  })

  it('marks a call to a hidden tool that only its reason named as hidden; nothing else', () => {
    const hidden = {kind: 'decision', time: 1, agent: 'a', server: 's', tool: 'rm', stage: 'pre_tool', action: 'deny', policy: null, rule: null, reason: 'tool "rm" is hidden by policy'} as DecisionRecord
    expect(readRecord({...hidden}).hidden).toBe(true)
    // A rule that happens to end its reason the same way is a rule's deny, not a hidden tool.
    expect(readRecord({...hidden, rule: 'mine'}).hidden).toBeUndefined()
    expect(readRecord({...hidden, action: 'allow'}).hidden).toBeUndefined()
    expect(readRecord({...hidden, reason: 'Denied: no policy rule allows this call.'}).hidden).toBeUndefined()
  })

  it('leaves a record of this version as it is', () => {
    const record: DecisionRecord = {kind: 'trust', time: 1, agent: 'a', server: 's', trust: {subject: {kind: 'message', name: 'client:batch'}, ok: false}}
    expect(readRecord(structuredClone(record))).toEqual(record)
  })
})

describe('traceparent', () => {
  const trace = '0af7651916cd43dd8448eb211c80319c'
  const span = 'b7ad6b7169203331'
  it('reads a valid one, case and surrounding space aside', () => {
    expect(parseTraceparent(`00-${trace}-${span}-01`)).toEqual({traceId: trace, spanId: span, sampled: true})
    expect(parseTraceparent(` 00-${trace.toUpperCase()}-${span}-00 `)).toEqual({traceId: trace, spanId: span, sampled: false})
  })

  it('refuses version ff, all-zero ids and anything malformed', () => {
    for (const bad of [`ff-${trace}-${span}-01`, `00-${'0'.repeat(32)}-${span}-01`, `00-${trace}-${'0'.repeat(16)}-01`, `00-${trace}-${span}`, 'x', '', undefined]) {
      expect(parseTraceparent(bad), String(bad)).toBeUndefined()
    }
  })
})
