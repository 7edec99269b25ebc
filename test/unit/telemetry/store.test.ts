import {spawn} from 'node:child_process'
import {appendFileSync, closeSync, fstatSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {openLine, sealLine} from '../../../src/telemetry/chain.js'
import {pruneStore} from '../../../src/telemetry/store/prune.js'
import {readStore} from '../../../src/telemetry/store/read.js'
import {verifyStore} from '../../../src/telemetry/store/scan.js'
import {listSegments} from '../../../src/telemetry/store/segments.js'
import {TraceWriter} from '../../../src/telemetry/store/writer.js'
import type {DecisionRecord} from '../../../src/telemetry/types.js'
import {tempDir} from '../../helpers/tree.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
})

function dir(): string {
  const d = tempDir('agentgov-store-')
  cleanups.push(d.cleanup)
  return join(d.path, 'traces')
}

function decision(i: number, extra: Partial<DecisionRecord> = {}): DecisionRecord {
  return {kind: 'decision', time: 1_800_000_000_000 + i, agent: 'agent', server: 'github', tool: 'create_issue', stage: 'pre_tool', action: 'allow', policy: 'p', rule: 'r', reason: `reason ${i}`, latencyUs: 12, ...extra}
}

/** A closed store of n records in one segment; returns the segment's path and lines. */
function store(n: number): {traces: string; path: string; lines: string[]; name: string} {
  const traces = dir()
  const writer = new TraceWriter(traces)
  for (let i = 1; i <= n; i++) writer.append(decision(i))
  writer.close()
  const [segment] = listSegments(traces)
  return {traces, path: segment.path, name: segment.name, lines: readFileSync(segment.path, 'utf8').trimEnd().split('\n')}
}

/** A parsed record's own members (without its place in the chain), for forging lines. */
function body(value: Record<string, unknown>, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const {prev: _prev, seq: _seq, hash: _hash, ...rest} = value
  return {...rest, ...changes}
}

function rewrite(path: string, lines: string[]): void {
  writeFileSync(path, lines.join('\n') + '\n')
}

describe('the trace store', () => {
  it('round-trips records, chains them, and verifies', () => {
    const {traces, lines} = store(5)
    expect(lines).toHaveLength(5)
    const first = openLine(lines[0])
    const second = openLine(lines[1])
    expect(first.ok && second.ok).toBe(true)
    if (first.ok && second.ok) {
      expect(second.prev).toBe(first.hash)
      expect(first.prev).not.toBe(first.hash)
      expect([first.seq, second.seq]).toEqual([1, 2])
    }

    const records = readStore(traces)
    expect(records.map((r) => r.reason)).toEqual(['reason 1', 'reason 2', 'reason 3', 'reason 4', 'reason 5'])
    expect(verifyStore(traces)).toMatchObject({ok: true, records: 5, segments: 1, problems: []})
  })

  it('detects an edit and names the edited record', () => {
    const {traces, path, lines, name} = store(10)
    lines[3] = lines[3].replace('"reason 4"', '"reason X"')
    rewrite(path, lines)
    const result = verifyStore(traces)
    expect(result.ok).toBe(false)
    expect(result.problems[0]).toMatchObject({record: `${name}:4`, line: 4})
    expect(result.problems[0].message).toMatch(/does not match its hash/)
  })

  it('detects an edit whose hash was recomputed, at the next record', () => {
    const {traces, path, lines, name} = store(10)
    const opened = openLine(lines[3])
    if (!opened.ok) throw new Error('bad fixture')
    lines[3] = sealLine(opened.prev, opened.seq, body(opened.value, {reason: 'forged'})).line
    rewrite(path, lines)
    const result = verifyStore(traces)
    expect(result.problems[0]).toMatchObject({record: `${name}:5`})
    expect(result.problems[0].message).toMatch(/prev hash differs/)
  })

  it('detects a deletion and names the missing record', () => {
    const {traces, path, lines, name} = store(10)
    lines.splice(6, 1)
    rewrite(path, lines)
    const result = verifyStore(traces)
    expect(result.ok).toBe(false)
    expect(result.problems[0]).toMatchObject({record: `${name}:7`, line: 7})
    expect(result.problems[0].message).toMatch(/missing/)
  })

  it('detects a reordering', () => {
    const {traces, path, lines, name} = store(10)
    ;[lines[2], lines[3]] = [lines[3], lines[2]]
    rewrite(path, lines)
    const result = verifyStore(traces)
    expect(result.ok).toBe(false)
    expect(result.problems[0]).toMatchObject({record: `${name}:3`, line: 3})
  })

  it('detects an insertion, copied or forged', () => {
    const copied = store(10)
    copied.lines.splice(5, 0, copied.lines[1])
    rewrite(copied.path, copied.lines)
    expect(verifyStore(copied.traces).problems[0]).toMatchObject({record: `${copied.name}:2`, line: 6})

    const forged = store(10)
    const previous = openLine(forged.lines[4])
    if (!previous.ok) throw new Error('bad fixture')
    // A well-formed record that chains onto record 5 and claims seq 6: record 6 then no longer follows.
    forged.lines.splice(5, 0, sealLine(previous.hash, 6, body(previous.value, {reason: 'inserted'})).line)
    rewrite(forged.path, forged.lines)
    const result = verifyStore(forged.traces)
    expect(result.problems[0]).toMatchObject({record: `${forged.name}:6`, line: 7})
  })

  it('detects truncation: whole records, and a torn last line', () => {
    const whole = store(10)
    rewrite(whole.path, whole.lines.slice(0, 7))
    const result = verifyStore(whole.traces)
    expect(result.ok).toBe(false)
    expect(result.problems[0]).toMatchObject({record: `${whole.name}:8`})
    expect(result.problems[0].message).toMatch(/truncated/)

    const torn = store(10)
    truncateSync(torn.path, readFileSync(torn.path).length - 30)
    expect(verifyStore(torn.traces).problems[0]).toMatchObject({record: `${torn.name}:10`, line: 10})
  })

  it('detects a deleted segment and a smuggled one', () => {
    const {traces, path} = store(3)
    unlinkSync(path)
    expect(verifyStore(traces).problems[0].message).toMatch(/missing.*3 record/)

    const other = store(3)
    writeFileSync(join(other.traces, '20260101T000000000Z-1-abcdef.jsonl'), other.lines.join('\n') + '\n')
    expect(verifyStore(other.traces).problems[0].message).toMatch(/not in the index/)
  })

  it('detects records appended after the seal', () => {
    const {traces, path, lines} = store(3)
    const last = openLine(lines[2])
    if (!last.ok) throw new Error('bad fixture')
    appendFileSync(path, sealLine(last.hash, 4, body(last.value)).line + '\n')
    expect(verifyStore(traces).problems[0].message).toMatch(/after the seal/)
  })

  it('names what lies past a seal: whole records and a torn line, none of them read as records', () => {
    const {traces, path, lines, name} = store(3)
    const last = openLine(lines[2])
    if (!last.ok) throw new Error('bad fixture')
    // What the writer before this fix left after a full disk: whole lines of a failed chunk, then a torn one.
    const fourth = sealLine(last.hash, 4, body(last.value, {reason: 'reason 4'})).line
    appendFileSync(path, fourth + '\n' + fourth.slice(0, 40))
    const result = verifyStore(traces)
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatchObject({record: `${name}:4`, line: 4})
    expect(result.problems[0].message).toMatch(/sealed at 3 records but holds 1 more record\(s\) and 1 torn line\(s\) after the seal/)
    expect(readStore(traces).map((r) => r.reason)).toEqual(['reason 1', 'reason 2', 'reason 3'])
  })

  it('detects an edited index', () => {
    const {traces} = store(3)
    const index = join(traces, 'index.jsonl')
    const lines = readFileSync(index, 'utf8').trimEnd().split('\n')
    rewrite(index, [lines[1], lines[0]])
    expect(verifyStore(traces).ok).toBe(false)
  })

  it('redacts secrets before they are written, and the hash covers the redacted form', () => {
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
    const key = 'sk-proj-' + 'q8W2e4R6t8Y0u2I4o6P8a0S2d4F6g8H0j2K4l6Z8x0C2v4B6'
    const traces = dir()
    const writer = new TraceWriter(traces)
    writer.append(
      decision(1, {
        reason: `token ${token} in arguments`,
        args: {headers: {authorization: `Bearer ${token}`}, password: 'hunter2-hunter2', nested: [{note: `key=${key}`}], count: 3},
        findings: [{kind: 'secret', detail: `found ${key}`}],
      }),
    )
    writer.close()
    const text = readFileSync(listSegments(traces)[0].path, 'utf8')
    expect(text).not.toContain(token)
    expect(text).not.toContain(key)
    expect(text).not.toContain('hunter2-hunter2')
    expect(text).toContain('redacted')
    expect(text).toContain('"count":3')
    expect(verifyStore(traces).ok).toBe(true)
  })

  it('rotates segments at the size limit and on a new day, and every segment verifies', () => {
    const traces = dir()
    const writer = new TraceWriter(traces, {maxSegmentBytes: 2000})
    for (let i = 0; i < 40; i++) writer.append(decision(i, {time: 1_800_000_000_000 + i * 3_600_000}))
    writer.close()
    expect(listSegments(traces).length).toBeGreaterThan(3)
    expect(verifyStore(traces)).toMatchObject({ok: true, records: 40})
    expect(readStore(traces).map((r) => r.reason)).toEqual(Array.from({length: 40}, (_, i) => `reason ${i}`))
  })

  it('chains records sealed ahead of the flush correctly across flushes, size rotations and a new day', () => {
    const traces = dir()
    const writer = new TraceWriter(traces, {maxSegmentBytes: 3000})
    const start = 1_800_000_000_000
    writer.append(decision(0, {time: start}))
    writer.flushSync()
    // With a segment open, appends are sealed at once; some of them stop fitting it before the flush.
    for (let i = 1; i < 60; i++) {
      writer.append(decision(i, {time: start + i * 1_800_000}))
      if (i % 7 === 0) writer.flushSync()
    }

    writer.close()
    expect(listSegments(traces).length).toBeGreaterThan(3)
    expect(verifyStore(traces)).toMatchObject({ok: true, records: 60})
    expect(readStore(traces).map((r) => r.reason)).toEqual(Array.from({length: 60}, (_, i) => `reason ${i}`))
  })

  it('re-seals records sealed ahead when their write failed and they go to a fresh segment', () => {
    const traces = dir()
    const writer = new TraceWriter(traces, {onError: () => {}})
    writer.append(decision(0))
    writer.flushSync()
    for (let i = 1; i < 5; i++) writer.append(decision(i))
    // The segment's file goes away under the writer: the next write fails and the records wait.
    closeSync((writer as unknown as {segment: {fd: number}}).segment.fd)
    writer.flushSync()
    expect(writer.stats.failing).toBe(true)
    writer.flushSync()
    writer.close()
    expect(writer.stats).toMatchObject({failing: false, stored: 5})
    expect(verifyStore(traces)).toMatchObject({ok: true, records: 5})
  })

  for (const reported of [true, false]) {
    it(`stores every record once when a write fails part-way (a full disk${reported ? '' : ', the count of the failed write lost'})`, () => {
      const traces = dir()
      let limit = Infinity
      // The disk fills at byte `limit` of the segment: the write that crosses it stores what fits and fails.
      const write = (fd: number, buffer: Buffer, offset: number, length: number): number => {
        const room = limit - fstatSync(fd).size
        if (room >= length) return writeSync(fd, buffer, offset, length)
        const stored = room > 0 ? writeSync(fd, buffer, offset, room) : 0
        if (reported && stored > 0) return stored
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})
      }

      const writer = new TraceWriter(traces, {write, onError: () => {}})
      for (let i = 0; i < 2; i++) writer.append(decision(i))
      writer.flushSync()
      const [first] = listSegments(traces)
      const lineBytes = first.bytes / 2
      // Two and a half more lines fit.
      limit = first.bytes + Math.floor(lineBytes * 2.5)
      for (let i = 2; i < 7; i++) writer.append(decision(i))
      writer.flushSync()
      expect(writer.stats).toMatchObject({failing: true, stored: 4})
      const kept = readFileSync(first.path, 'utf8')
      expect(kept.endsWith('\n')).toBe(true)
      expect(kept.trimEnd().split('\n')).toHaveLength(4)
      expect(statSync(first.path).size).toBeLessThan(limit)

      limit = Infinity
      writer.flushSync()
      writer.close()
      expect(writer.stats).toMatchObject({failing: false, stored: 7, dropped: 0})
      expect(verifyStore(traces)).toMatchObject({ok: true, records: 7, segments: 2, problems: []})
      expect(readStore(traces).map((r) => r.reason)).toEqual(Array.from({length: 7}, (_, i) => `reason ${i}`))
      const seal = readFileSync(join(traces, 'index.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as {type: string; segment: string; count?: number})
        .find((e) => e.type === 'seal' && e.segment === first.name)
      expect(seal?.count).toBe(4)
    })
  }

  it('prunes old segments and what remains still verifies', () => {
    const traces = dir()
    const day = 86_400_000
    const now = 1_800_000_000_000
    for (const age of [300, 200, 10]) {
      const writer = new TraceWriter(traces)
      for (let i = 0; i < 5; i++) writer.append(decision(i, {time: now - age * day + i}))
      writer.close()
    }

    const result = pruneStore(traces, {olderThanDays: 180, now})
    expect(result.removed).toHaveLength(2)
    expect(listSegments(traces)).toHaveLength(1)
    expect(verifyStore(traces)).toMatchObject({ok: true, records: 5})
    expect(readStore(traces, {since: now - 400 * day})).toHaveLength(5)
  })

  it('filters by time window across segments, in time order', () => {
    const traces = dir()
    const a = new TraceWriter(traces)
    const b = new TraceWriter(traces)
    for (let i = 0; i < 10; i++) (i % 2 ? a : b).append(decision(i))
    a.close()
    b.close()
    const records = readStore(traces, {since: 1_800_000_000_003, until: 1_800_000_000_007})
    expect(records.map((r) => r.reason)).toEqual(['reason 3', 'reason 4', 'reason 5', 'reason 6'])
    expect(verifyStore(traces).ok).toBe(true)
  })

  it('survives 8 concurrent writer processes x 10,000 records: nothing lost, nothing torn, chains intact', async () => {
    const traces = dir()
    const child = join(import.meta.dirname, 'writer-child.mjs')
    const codes = await Promise.all(
      Array.from(
        {length: 8},
        (_, w) =>
          new Promise<number>((resolve) => {
            const p = spawn(process.execPath, [child, traces, '10000', `w${w}`], {stdio: ['ignore', 'ignore', 'inherit']})
            p.on('close', (code) => resolve(code ?? 1))
          }),
      ),
    )
    expect(codes).toEqual(Array(8).fill(0))
    for (const file of readdirSync(traces).filter((f) => f.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(traces, file), 'utf8').trimEnd().split('\n')) expect(openLine(line).ok).toBe(true)
    }

    const result = verifyStore(traces)
    expect(result.problems).toEqual([])
    expect(result).toMatchObject({ok: true, records: 80_000})
    const records = readStore(traces)
    for (let w = 0; w < 8; w++) {
      const mine = records.filter((r) => r.agent === `w${w}`).map((r) => r.requestId)
      expect(mine).toHaveLength(10_000)
      expect(new Set(mine).size).toBe(10_000)
    }
  }, 120_000)
})
