import {randomBytes} from 'node:crypto'
import {closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {bodyMembers, checkLine, GENESIS, openLine, sealLine, sealMembers} from './chain.js'
import {readRecord} from './record.js'
import {redactRecord} from './redact.js'
import type {DecisionRecord, StoredRecord} from './types.js'

/**
 * The local trace store: <stateDir>/traces.
 *
 * Every writing process owns its segment files (`<start>-<pid>-<random>.jsonl`), so concurrent
 * proxies never share a file and no line can be torn by another writer. Each segment is its own hash
 * chain. The segments are tied together by `index.jsonl`, itself a hash chain, written under a lock
 * file: an `open` entry whose hash is the first record's `prev`, `checkpoint` entries (count and
 * last hash so far) and a final `seal`, and `prune` entries when retention removes a segment. So an
 * edit, deletion, reordering or insertion inside a segment, a truncated segment, a deleted or
 * smuggled-in segment file are all detected.
 *
 * Limits, said plainly: a chain without a secret key proves integrity against quiet edits, not
 * against someone who rewrites and re-hashes everything from the first entry; records written after
 * a crashed writer's last checkpoint can be truncated without trace.
 */

export const INDEX_FILE = 'index.jsonl'
const LOCK_FILE = 'index.lock'
const SEGMENT_SUFFIX = '.jsonl'
const SEGMENT_NAME = /^\d{8}T\d{9}Z-\d+-[0-9a-f]{6}$/
const DAY_MS = 86_400_000
/** How soon a failed write is tried again. */
const RETRY_MS = 500
/** A lock older than this belongs to a writer that died inside the critical section. */
const STALE_LOCK_MS = 5000

export interface WriterOptions {
  /** Rotate after this many bytes (default 64 MiB). Segments are the unit of pruning. */
  maxSegmentBytes?: number
  /** Records waiting for the next flush beyond which new ones are dropped (and counted). */
  maxPending?: number
  /** How often the index learns how far a segment got, so truncation is detectable before the seal. */
  checkpointMs?: number
  /**
   * How long records wait to be written together (default 20 ms). Flushing on a short timer rather
   * than every turn keeps hashing and the write off the path between a forwarded call and its
   * answer; a process that crashes (not one that exits) can lose at most this window.
   */
  flushMs?: number
  now?: () => number
  onError?: (message: string) => void
}

export interface WriterStats {
  stored: number
  dropped: number
  errors: number
  /** The last write failed and records wait for a retry (a full disk, a permission lost). */
  failing: boolean
}

/** A record redacted and serialised, waiting for its place in the chain. */
interface Prepared {
  time: number
  members: string
  /** Sealed ahead at this place in the chain; the flush uses it only if the chain still ends there. */
  sealed?: {seq: number; prev: string; line: string; hash: string; bytes: number}
}

interface OpenSegment {
  name: string
  fd: number
  seq: number
  last: string
  bytes: number
  day: number
  checkpointAt: number
  checkpointSeq: number
}

/**
 * Appends records for one process. `append` redacts, serialises and (when it can) seals a record into
 * the chain; the write happens in a deferred flush (one write per batch), and synchronously on process
 * exit, so nothing queued is lost when a proxy exits.
 */
export class TraceWriter {
  readonly stats: WriterStats = {stored: 0, dropped: 0, errors: 0, failing: false}
  /** Records of the batch being written that reached the disk whole (not to be written twice). */
  private batchWritten = 0
  private readonly pending: Prepared[] = []
  private segment: OpenSegment | undefined
  private scheduled = false
  private closed = false
  private warned = false
  private readonly maxSegmentBytes: number
  private readonly maxPending: number
  private readonly checkpointMs: number
  private readonly now: () => number
  private readonly exitHook = () => this.close()

  constructor(
    readonly dir: string,
    private readonly options: WriterOptions = {},
  ) {
    this.maxSegmentBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024
    this.maxPending = options.maxPending ?? 100_000
    this.checkpointMs = options.checkpointMs ?? 10_000
    this.now = options.now ?? Date.now
    process.once('exit', this.exitHook)
  }

  /** Queue a record. Returns false when it was dropped (writer closed or the queue is full). */
  append(record: DecisionRecord): boolean {
    if (this.closed || this.pending.length >= this.maxPending) {
      this.stats.dropped++
      return false
    }

    // Redacting, serialising and hashing here, on the caller's turn, leaves the timed flush only the
    // write: a flush of tens of records used to stall the proxy for up to milliseconds.
    const prepared: Prepared = {time: record.time, members: bodyMembers(redactRecord(record) as unknown as Record<string, unknown>)}
    this.sealAhead(prepared)
    this.pending.push(prepared)
    if (!this.scheduled) {
      this.scheduled = true
      const flushMs = this.options.flushMs ?? 20
      if (flushMs === 0) setImmediate(() => this.flushSync())
      else setTimeout(() => this.flushSync(), flushMs).unref()
    }

    return true
  }

  /**
   * Seal the record where the chain will end when it is written: after the last queued record, in the
   * open segment. Left for the flush when that is not known (no segment yet, a rotation due, a failed
   * write); the flush also re-seals whatever no longer follows the chain as written.
   */
  private sealAhead(record: Prepared): void {
    const segment = this.segment
    if (!segment || this.stats.failing || dayOf(record.time) !== segment.day) return
    const previous = this.pending.length > 0 ? this.pending.at(-1)!.sealed : {seq: segment.seq, hash: segment.last, bytes: segment.bytes}
    if (!previous || previous.bytes >= this.maxSegmentBytes) return
    record.sealed = sealNow(previous.hash, previous.seq + 1, record.members, previous.bytes)
  }

  /** Write everything queued now. */
  flushSync(): void {
    this.scheduled = false
    if (this.pending.length === 0) return
    const batch = this.pending.splice(0, this.pending.length)
    try {
      this.writeBatch(batch)
      this.stats.failing = false
    } catch (error) {
      // Keep what did not reach the disk: it goes to a fresh segment once the store can write again
      // (space freed). Only what does not fit the queue is dropped, and counted.
      const unwritten = batch.slice(this.batchWritten)
      const kept = unwritten.slice(0, Math.max(0, this.maxPending - this.pending.length))
      this.pending.unshift(...kept)
      this.stats.failing = true
      this.fail(`cannot write the trace store in ${this.dir}: ${(error as Error).message}`, unwritten.length - kept.length)
      this.abandonSegment()
      this.retryLater()
    }
  }

  private retryLater(): void {
    if (this.scheduled || this.closed) return
    this.scheduled = true
    setTimeout(() => this.flushSync(), RETRY_MS).unref()
  }

  /** Flush, seal the segment in the index and stop; later appends are dropped and counted. */
  close(): void {
    if (this.closed) return
    this.flushSync()
    // Still failing at exit: what waits is lost, and counted as such.
    this.stats.dropped += this.pending.splice(0, this.pending.length).length
    this.closed = true
    process.removeListener('exit', this.exitHook)
    const segment = this.segment
    this.segment = undefined
    if (!segment) return
    try {
      closeSync(segment.fd)
      appendIndex(this.dir, {type: 'seal', segment: segment.name, count: segment.seq, last: segment.last, time: this.now()})
    } catch (error) {
      this.fail(`cannot seal trace segment ${segment.name}: ${(error as Error).message}`, 0)
    }
  }

  private writeBatch(batch: Prepared[]): void {
    this.batchWritten = 0
    let inChunk = 0
    let chunk = ''
    let segment = this.currentSegment(batch[0].time)
    let {seq, last, bytes} = segment
    for (const record of batch) {
      if (bytes >= this.maxSegmentBytes || dayOf(record.time) !== segment.day) {
        this.commit(segment, chunk, seq, last, bytes)
        this.batchWritten += inChunk
        inChunk = 0
        chunk = ''
        this.rotate(record.time)
        segment = this.currentSegment(record.time)
        ;({seq, last, bytes} = segment)
      }

      seq++
      const ahead = record.sealed
      const sealed = ahead && ahead.seq === seq && ahead.prev === last ? ahead : sealNow(last, seq, record.members, bytes)
      chunk += sealed.line + '\n'
      inChunk++
      bytes = sealed.bytes
      last = sealed.hash
    }

    this.commit(segment, chunk, seq, last, bytes)
    this.batchWritten += inChunk
    const now = this.now()
    if (now - segment.checkpointAt >= this.checkpointMs && segment.seq > segment.checkpointSeq) this.checkpoint(segment, now)
  }

  /** Writes the chunk fully, and only then advances the chain state (a failed write leaves it as it was). */
  private commit(segment: OpenSegment, chunk: string, seq: number, last: string, bytes: number): void {
    if (chunk === '') return
    const buffer = Buffer.from(chunk)
    let offset = 0
    while (offset < buffer.length) offset += writeSync(segment.fd, buffer, offset, buffer.length - offset)
    this.stats.stored += seq - segment.seq
    segment.seq = seq
    segment.last = last
    segment.bytes = bytes
  }

  private checkpoint(segment: OpenSegment, now: number): void {
    // Best effort: a busy lock only delays the checkpoint to the next flush.
    if (tryAppendIndex(this.dir, {type: 'checkpoint', segment: segment.name, count: segment.seq, last: segment.last, time: now}, 50)) {
      segment.checkpointAt = now
      segment.checkpointSeq = segment.seq
    }
  }

  private currentSegment(time: number): OpenSegment {
    if (this.segment) return this.segment
    mkdirSync(this.dir, {recursive: true, mode: 0o700})
    const name = `${stamp(time)}-${process.pid}-${randomBytes(3).toString('hex')}`
    const opened = appendIndex(this.dir, {type: 'open', segment: name, pid: process.pid, host: hostname(), time: this.now()})
    const fd = openSync(join(this.dir, name + SEGMENT_SUFFIX), 'a', 0o600)
    this.segment = {name, fd, seq: 0, last: opened, bytes: 0, day: dayOf(time), checkpointAt: this.now(), checkpointSeq: 0}
    return this.segment
  }

  private rotate(_time: number): void {
    const segment = this.segment
    if (!segment) return
    this.segment = undefined
    closeSync(segment.fd)
    appendIndex(this.dir, {type: 'seal', segment: segment.name, count: segment.seq, last: segment.last, time: this.now()})
  }

  /** After a failed write the segment may end in a torn line: seal what is known good and start afresh. */
  private abandonSegment(): void {
    try {
      this.rotate(this.now())
    } catch {
      this.segment = undefined
    }
  }

  private fail(message: string, lost: number): void {
    this.stats.errors++
    this.stats.dropped += lost
    if (this.warned) return
    this.warned = true
    ;(this.options.onError ?? ((m: string) => process.stderr.write(`agentgov: ${m}\n`)))(message)
  }
}

/** A record sealed after `prev` as number `seq`, and the segment's size once its line is added. */
function sealNow(prev: string, seq: number, members: string, bytesBefore: number): NonNullable<Prepared['sealed']> {
  const {line, hash} = sealMembers(prev, seq, members)
  return {seq, prev, line, hash, bytes: bytesBefore + Buffer.byteLength(line) + 1}
}

function stamp(time: number): string {
  return new Date(time).toISOString().replaceAll(/[-:.]/g, '')
}

function dayOf(time: number): number {
  return Math.floor(time / DAY_MS)
}

// -------------------------------------------------------------------------------------------------
// The segment index: a small hash-chained journal, appended under a lock file.

export interface IndexEntry {
  type: 'checkpoint' | 'open' | 'prune' | 'seal'
  segment: string
  time: number
  seq: number
  prev: string
  hash: string
  pid?: number
  host?: string
  count?: number
  last?: string
}

type IndexBody = Omit<IndexEntry, 'hash' | 'prev' | 'seq'>

/** Append one entry to the index; returns its hash. Waits for the lock (breaking a stale one). */
export function appendIndex(dir: string, body: IndexBody): string {
  const hash = withIndexLock(dir, 10_000, () => appendIndexLocked(dir, body))
  if (hash === undefined) throw new Error(`the trace index lock ${join(dir, LOCK_FILE)} stayed busy`)
  return hash
}

function tryAppendIndex(dir: string, body: IndexBody, waitMs: number): boolean {
  try {
    return withIndexLock(dir, waitMs, () => appendIndexLocked(dir, body)) !== undefined
  } catch {
    return false
  }
}

function appendIndexLocked(dir: string, body: IndexBody): string {
  const path = join(dir, INDEX_FILE)
  const fd = openSync(path, 'a+', 0o600)
  try {
    const previous = lastLine(fd)
    let seq = 1
    let prev = GENESIS
    if (previous) {
      const checked = checkLine(previous)
      if (!checked.ok) throw new Error(`the last entry of ${path} ${checked.reason}; run 'agentgov traces verify'`)
      seq = checked.seq + 1
      prev = checked.hash
    }

    const {line, hash} = sealLine(prev, seq, body as unknown as Record<string, unknown>)
    writeSync(fd, line + '\n')
    return hash
  } finally {
    closeSync(fd)
  }
}

function lastLine(fd: number): string | undefined {
  const size = fstatSync(fd).size
  if (size === 0) return undefined
  let span = Math.min(size, 4096)
  for (;;) {
    const buffer = Buffer.alloc(span)
    readSync(fd, buffer, 0, span, size - span)
    const text = buffer.toString('utf8').replace(/\n$/, '')
    const cut = text.lastIndexOf('\n')
    if (cut >= 0 || span === size) return text.slice(cut + 1)
    span = Math.min(size, span * 4)
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/**
 * Runs fn while holding `index.lock` (O_EXCL create). Index writes are rare (segment open, checkpoint,
 * seal, prune) and take well under a millisecond, so a short synchronous wait is cheaper than making
 * every caller async. Returns undefined when the lock could not be had within waitMs.
 */
function withIndexLock<T>(dir: string, waitMs: number, fn: () => T): T | undefined {
  mkdirSync(dir, {recursive: true, mode: 0o700})
  const lock = join(dir, LOCK_FILE)
  const deadline = Date.now() + waitMs
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined
    try {
      fd = openSync(lock, 'wx', 0o600)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }

    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid))
        return fn()
      } finally {
        closeSync(fd)
        unlinkSync(lock)
      }
    }

    breakIfStale(lock)
    if (Date.now() >= deadline) return undefined
    Atomics.wait(sleeper, 0, 0, Math.min(20, 1 + attempt) * Math.random() + 0.5)
  }
}

function breakIfStale(lock: string): void {
  try {
    if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) unlinkSync(lock)
  } catch {
    // Gone already: the next attempt will take it.
  }
}

// -------------------------------------------------------------------------------------------------
// Reading.

export interface SegmentFile {
  name: string
  path: string
  bytes: number
}

export function tracesDir(stateDir: string): string {
  return join(stateDir, 'traces')
}

export function listSegments(dir: string): SegmentFile[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }

  return names
    .filter((n) => n.endsWith(SEGMENT_SUFFIX) && n !== INDEX_FILE)
    .sort()
    .map((file) => {
      const path = join(dir, file)
      return {name: file.slice(0, -SEGMENT_SUFFIX.length), path, bytes: statSync(path).size}
    })
}

function splitLines(path: string): string[] {
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n')
  // A file ending in a newline leaves one empty string; anything else there is a torn last line.
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** Records of one segment in file order; unreadable lines are skipped (verify reports them). */
export function readSegment(file: SegmentFile): StoredRecord[] {
  return recordsOf(file.name, splitLines(file.path))
}

export function recordsOf(segment: string, lines: readonly string[]): StoredRecord[] {
  const records: StoredRecord[] = []
  for (const line of lines) {
    const opened = openLine(line)
    if (!opened.ok) continue
    const value = opened.value as unknown as StoredRecord
    value.hash = opened.hash
    value.id = `${segment}:${value.seq}`
    records.push(readRecord(value))
  }

  return records
}

export interface ReadWindow {
  /** ms since the epoch, inclusive. */
  since?: number
  /** ms since the epoch, exclusive. */
  until?: number
}

/** Every record in the window, across all segments, ordered by time (then by id). */
export function readStore(dir: string, window: ReadWindow = {}): StoredRecord[] {
  const since = window.since ?? -Infinity
  const until = window.until ?? Infinity
  const out: StoredRecord[] = []
  for (const file of listSegments(dir)) {
    // A segment starts at the time in its name: one that starts after the window cannot hold any of it.
    if (segmentStart(file.name) >= until) continue
    for (const record of readSegment(file)) if (record.time >= since && record.time < until) out.push(record)
  }

  return out.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** One record by id (`<segment>:<seq>`), or by a unique prefix of its hash. */
export function findRecord(dir: string, id: string): StoredRecord | undefined {
  const colon = id.lastIndexOf(':')
  if (colon > 0) {
    const name = id.slice(0, colon)
    const file = listSegments(dir).find((f) => f.name === name)
    return file ? readSegment(file).find((r) => r.id === id) : undefined
  }

  const matches = readStore(dir).filter((r) => r.hash.startsWith(id.toLowerCase()))
  return matches.length === 1 ? matches[0] : undefined
}

function segmentStart(name: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(name)
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) : 0
}

export function readIndex(dir: string): {entries: IndexEntry[]; problems: VerifyProblem[]} {
  const path = join(dir, INDEX_FILE)
  if (!existsSync(path)) return {entries: [], problems: []}
  const entries: IndexEntry[] = []
  const problems: VerifyProblem[] = []
  let prev = GENESIS
  splitLines(path).forEach((line, i) => {
    const where = {segment: INDEX_FILE, line: i + 1, record: `${INDEX_FILE}:${i + 1}`}
    const opened = openLine(line)
    if (!opened.ok) {
      problems.push({...where, message: `index entry ${i + 1} ${opened.reason}`})
      prev = ''
      return
    }

    const entry = {...opened.value, hash: opened.hash} as unknown as IndexEntry
    if (entry.seq !== i + 1) problems.push({...where, message: `index entry at line ${i + 1} says it is entry ${entry.seq}: entries were deleted, inserted or reordered`})
    else if (prev && entry.prev !== prev) problems.push({...where, message: `index entry ${i + 1} does not follow the entry before it (prev hash differs)`})
    prev = opened.hash
    entries.push(entry)
  })
  return {entries, problems}
}

// -------------------------------------------------------------------------------------------------
// Verify.

export interface VerifyProblem {
  segment: string
  /** The record that broke the chain (`<segment>:<seq>`), when one can be named. */
  record?: string
  line?: number
  message: string
}

export interface VerifyResult {
  ok: boolean
  segments: number
  records: number
  problems: VerifyProblem[]
  /** Not failures: segments of running writers, and of writers that ended without sealing. */
  notes: string[]
}

interface SegmentFacts {
  open?: IndexEntry
  /** The furthest the index saw the segment reach (checkpoint or seal). */
  reached?: IndexEntry
  sealed?: IndexEntry
  pruned?: IndexEntry
}

export function verifyStore(dir: string): VerifyResult {
  const {entries, problems} = readIndex(dir)
  const notes: string[] = []
  const facts = new Map<string, SegmentFacts>()
  for (const entry of entries) {
    const f = facts.get(entry.segment) ?? {}
    facts.set(entry.segment, f)
    if (entry.type === 'open') f.open = entry
    else if (entry.type === 'prune') f.pruned = entry
    else {
      if (!f.reached || (entry.count ?? 0) >= (f.reached.count ?? 0)) f.reached = entry
      if (entry.type === 'seal') f.sealed = entry
    }
  }

  let records = 0
  const files = listSegments(dir)
  const seen = new Set<string>()
  for (const file of files) {
    seen.add(file.name)
    const f = facts.get(file.name)
    if (!SEGMENT_NAME.test(file.name) || !f?.open) {
      problems.push({segment: file.name, message: `segment ${file.name} is not in the index: it was added by hand or the index lost its entry`})
      continue
    }

    records += verifySegment(file, f, problems, notes)
  }

  for (const [name, f] of facts) {
    if (seen.has(name) || f.pruned) continue
    const count = f.reached?.count
    problems.push({segment: name, message: `segment ${name} is missing${count ? ` (the index saw ${count} record(s) in it)` : ''}: the file was deleted`})
  }

  return {ok: problems.length === 0, segments: files.length, records, problems, notes}
}

function verifySegment(file: SegmentFile, facts: SegmentFacts, problems: VerifyProblem[], notes: string[]): number {
  const lines = splitLines(file.path)
  let prev = facts.open!.hash
  let seq = 0
  const before = problems.length
  const problem = (line: number, record: string, message: string) => problems.push({segment: file.name, record, line, message})
  for (let i = 0; i < lines.length && problems.length === before; i++) {
    const expected = `${file.name}:${seq + 1}`
    const checked = checkLine(lines[i])
    if (!checked.ok) {
      const named = checked.seq === undefined ? expected : `${file.name}:${checked.seq}`
      problem(i + 1, named, `record ${named} (line ${i + 1}) ${checked.reason}`)
      break
    }

    const found = checked.seq
    const id = `${file.name}:${found}`
    if (found !== seq + 1) {
      const message =
        found > seq + 1
          ? `record ${expected} is missing: line ${i + 1} holds ${id} (deleted${found > seq + 2 ? ` ${found - seq - 1} records` : ''}, or records were reordered)`
          : `record ${id} at line ${i + 1} is out of place after ${file.name}:${seq} (reordered or inserted)`
      problem(i + 1, found > seq + 1 ? expected : id, message)
      break
    }

    if (checked.prev !== prev) {
      problem(i + 1, id, `record ${id} (line ${i + 1}) does not follow the record before it: its prev hash differs (a record before it was edited and re-hashed, or this one was inserted)`)
      break
    }

    prev = checked.hash
    seq = found
  }

  if (problems.length > before) return seq
  const reached = facts.reached
  if (reached && (reached.count ?? 0) > seq) {
    problems.push({
      segment: file.name,
      record: `${file.name}:${seq + 1}`,
      line: seq + 1,
      message: `segment ${file.name} ends at record ${seq} but the index saw ${reached.count}: records ${file.name}:${seq + 1}..${reached.count} were truncated`,
    })
  } else if (reached && reached.count === seq && reached.last !== prev) {
    problems.push({segment: file.name, record: `${file.name}:${seq}`, line: seq, message: `record ${file.name}:${seq} is not the record the index saw last (rewritten)`})
  } else if (facts.sealed && seq > (facts.sealed.count ?? 0)) {
    problems.push({segment: file.name, record: `${file.name}:${(facts.sealed.count ?? 0) + 1}`, line: (facts.sealed.count ?? 0) + 1, message: `segment ${file.name} was sealed at ${facts.sealed.count} records but holds ${seq}: records were appended after the seal`})
  } else if (!facts.sealed) {
    const {pid, host} = facts.open!
    const running = host === hostname() && pid !== undefined && isAlive(pid)
    notes.push(
      running
        ? `segment ${file.name} is open (process ${pid} is writing it)`
        : `segment ${file.name} was not sealed (its writer ended abruptly); records after ${reached?.count ?? 0} cannot be checked for truncation`,
    )
  }

  return seq
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// -------------------------------------------------------------------------------------------------
// Retention.

export interface PruneResult {
  removed: Array<{segment: string; records: number; lastTime: number}>
  kept: number
  /** ms since the epoch: segments whose last record is older were removed. */
  cutoff: number
}

/**
 * Removes whole segments whose newest record is older than the cutoff, recording each in the index
 * first, so verify knows the gap is retention and not deletion. Open segments of running writers are
 * kept; a segment is pruned with its last hash, so what remains still verifies.
 */
export function pruneStore(dir: string, options: {olderThanDays: number; now?: number; dryRun?: boolean}): PruneResult {
  const now = options.now ?? Date.now()
  const cutoff = now - options.olderThanDays * DAY_MS
  const {entries} = readIndex(dir)
  const sealed = new Set(entries.filter((e) => e.type === 'seal').map((e) => e.segment))
  const opens = new Map(entries.filter((e) => e.type === 'open').map((e) => [e.segment, e]))
  const removed: PruneResult['removed'] = []
  let kept = 0
  for (const file of listSegments(dir)) {
    const records = readSegment(file)
    const lastTime = records.length > 0 ? records[records.length - 1].time : segmentStart(file.name)
    const open = opens.get(file.name)
    const writing = !sealed.has(file.name) && open?.host === hostname() && open.pid !== undefined && isAlive(open.pid)
    if (lastTime >= cutoff || writing || !open) {
      kept++
      continue
    }

    const last = records.length > 0 ? records[records.length - 1] : undefined
    if (!options.dryRun) {
      appendIndex(dir, {type: 'prune', segment: file.name, count: last?.seq ?? 0, last: last?.hash ?? open.hash, time: now})
      unlinkSync(file.path)
    }

    removed.push({segment: file.name, records: records.length, lastTime})
  }

  return {removed, kept, cutoff}
}
