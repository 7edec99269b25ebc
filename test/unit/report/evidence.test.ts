import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {EvidenceBuilder} from '../../../src/report/evidence.js'
import {readSources} from '../../../src/report/sources.js'
import type {RuntimeEvidence} from '../../../reports/types.js'
import {RULE, type SubjectKind} from '../../../src/telemetry/record.js'
import {TraceWriter} from '../../../src/telemetry/store/writer.js'
import type {DecisionRecord} from '../../../src/telemetry/types.js'
import {tempDir} from '../../helpers/tree.js'

const T = 1_800_000_000_000
const WINDOW = {from: T - 60_000, to: T + 60_000}
const dir = tempDir('agentgov-evidence-')
afterAll(() => dir.cleanup())

const base = {time: T, agent: 'cursor', server: 'fs'}
const deny = {kind: 'decision', ...base, stage: 'pre_tool', action: 'deny', policy: null, latencyUs: 1} as const
const trust = (kind: SubjectKind, name: string, ok = false): DecisionRecord => ({kind: 'trust', ...base, trust: {subject: {kind, name}, ok}})

/** What this version writes: the hidden tool and every subject kind as explicit fields. */
const CURRENT: DecisionRecord[] = [
  {...deny, tool: 'rm', rule: null, reason: 'tool "rm" is hidden by policy', hidden: true},
  {...deny, tool: 'read', rule: RULE.toolPinning, reason: 'changed'},
  {...deny, tool: 'x', rule: null, reason: 'Denied: no policy rule allows this call.'},
  trust('tool-pin', 'read'),
  trust('tool-description', 'add'),
  trust('message', 'client:batch'),
  trust('server-request', 'sampling/createMessage', true),
  trust('other', 'agent-token:cursor'),
]

/** The same events as agentgov 0.1.0 wrote them: subjects as text, a hidden tool only in the reason. */
const LEGACY = CURRENT.map((record) => {
  const {hidden: _hidden, ...rest} = record
  return (record.trust ? {...rest, trust: {...record.trust, subject: record.trust.subject.kind === 'other' ? record.trust.subject.name : `${record.trust.subject.kind}:${record.trust.subject.name}`}} : rest) as unknown as DecisionRecord
})

/** Write the records to a real store, then read it as `report` does. */
async function evidenceOf(name: string, records: readonly DecisionRecord[]): Promise<RuntimeEvidence> {
  const traces = join(dir.path, name)
  const writer = new TraceWriter(traces, {flushMs: 0})
  for (const record of records) writer.append(record)
  writer.close()
  const builder = new EvidenceBuilder(WINDOW)
  const [summary] = await readSources([traces], WINDOW, builder, {verify: true})
  expect(summary).toMatchObject({records: records.length, unreadable: 0})
  return builder.finish()
}

function expectCounted(r: RuntimeEvidence): void {
  expect(r.denials.hidden.count).toBe(1)
  expect(r.denials.byRule).toEqual({'(hidden)': 1, [RULE.toolPinning]: 1, '(default)': 1})
  expect(r.denials.defaultDeny.count).toBe(1)
  expect(r.trust.pinBlocks.count).toBe(1)
  expect(r.trust.pinChanges.count).toBe(1)
  expect(r.trust.pinChanges.tools).toEqual(['fs.read'])
  expect(r.trust.descriptionFindings.count).toBe(1)
  expect(r.trust.protocolRefusals.count).toBe(1)
  expect(r.trust.serverRequests.count).toBe(1)
  expect(r.trust.other.count).toBe(1)
  expect(r.chain[0].ok).toBe(true)
}

describe('the report reads the record contract', () => {
  it('counts a hidden tool and each subject kind from the explicit fields', async () => {
    expectCounted(await evidenceOf('current', CURRENT))
  })

  it('counts records of the previous version the same way', async () => {
    expectCounted(await evidenceOf('legacy', LEGACY))
  })

  it('never takes a reason for a hidden tool: the explicit field decides', () => {
    const builder = new EvidenceBuilder(WINDOW)
    builder.add({...deny, tool: 'rm', rule: null, reason: 'tool "rm" is hidden by policy'}, 'a')
    expect(builder.finish().denials.hidden.count).toBe(0)
  })

  it('skips a passed pin check (only failures are findings), but counts a passed server request', () => {
    const builder = new EvidenceBuilder(WINDOW)
    builder.add(trust('tool-pin', 'read', true), 'a')
    builder.add(trust('server-request', 'roots/list', true), 'b')
    const r = builder.finish()
    expect(r.trust.pinChanges.count).toBe(0)
    expect(r.trust.serverRequests.count).toBe(1)
  })
})
