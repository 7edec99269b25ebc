import {randomBytes} from 'node:crypto'
import {closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'

import {bodyMembers, sealMembers} from '../chain.js'
import {redactRecord} from '../redact.js'
import type {DecisionRecord} from '../types.js'
import {appendIndex, tryAppendIndex} from './journal.js'
import {DAY_MS, segmentName, segmentPath} from './segments.js'

/**
 * Appends one process's records to the local trace store.
 *
 * Every writing process owns its segment files, so concurrent proxies never share a file and no line
 * can be torn by another writer. Each segment is its own hash chain, tied to the others by the index
 * (journal.ts). So an edit, deletion, reordering or insertion inside a segment, a truncated segment,
 * a deleted or smuggled-in segment file are all detected (scan.ts).
 *
 * Limits, said plainly: a chain without a secret key proves integrity against quiet edits, not
 * against someone who rewrites and re-hashes everything from the first entry; records written after
 * a crashed writer's last checkpoint can be truncated without trace.
 */

/** How soon a failed write is tried again. */
const RETRY_MS = 500

/** The write system call's shape: a test passes one that fails at a chosen byte. */
export type WriteFn = (fd: number, buffer: Buffer, offset: number, length: number) => number

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
  /** Writes to segment files (default fs.writeSync). */
  write?: WriteFn
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

/** `,"hash":"` + 64 hex + `"}`: where a stored line's own hash sits, counted from its end. */
const HASH_FROM_END = 66

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
  private readonly write: WriteFn
  private readonly exitHook = () => this.close()

  constructor(
    readonly dir: string,
    private readonly options: WriterOptions = {},
  ) {
    this.maxSegmentBytes = options.maxSegmentBytes ?? 64 * 1024 * 1024
    this.maxPending = options.maxPending ?? 100_000
    this.checkpointMs = options.checkpointMs ?? 10_000
    this.now = options.now ?? Date.now
    this.write = options.write ?? writeSync
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
    const name = this.segment?.name
    try {
      this.seal()
    } catch (error) {
      this.fail(`cannot seal trace segment ${name}: ${(error as Error).message}`, 0)
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
        this.seal()
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
    try {
      while (offset < buffer.length) offset += this.write(segment.fd, buffer, offset, buffer.length - offset)
    } catch (error) {
      this.keepWhatReached(segment, buffer, offset)
      throw error
    }

    this.stats.stored += seq - segment.seq
    segment.seq = seq
    segment.last = last
    segment.bytes = bytes
  }

  /**
   * A write that failed part-way (a full disk) can leave whole lines of its chunk in the file and a
   * torn one after them. The whole lines are stored records: the chain advances over them and they
   * are not written again; the torn rest is cut off, so the seal counts exactly what the file holds
   * and every record is stored once.
   */
  private keepWhatReached(segment: OpenSegment, chunk: Buffer, written: number): void {
    let reached = written
    try {
      // The file's size is the truth; the count of a write that threw may be short of it.
      reached = fstatSync(segment.fd).size - segment.bytes
    } catch {
      // The file is gone from under us: trust what the writes returned.
    }

    reached = Math.max(0, Math.min(reached, chunk.length))
    const end = reached > 0 ? chunk.lastIndexOf(10, reached - 1) : -1
    if (end >= 0) {
      let whole = 0
      for (let i = chunk.indexOf(10); i >= 0 && i <= end; i = chunk.indexOf(10, i + 1)) whole++
      segment.seq += whole
      segment.last = chunk.toString('latin1', end - HASH_FROM_END, end - 2)
      segment.bytes += end + 1
      this.stats.stored += whole
      this.batchWritten += whole
    }

    try {
      ftruncateSync(segment.fd, segment.bytes)
    } catch {
      // Left as it is: verify names what lies past the seal.
    }
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
    const name = segmentName(time, process.pid, randomBytes(3).toString('hex'))
    const opened = appendIndex(this.dir, {type: 'open', segment: name, pid: process.pid, host: hostname(), time: this.now()})
    const fd = openSync(segmentPath(this.dir, name), 'a', 0o600)
    this.segment = {name, fd, seq: 0, last: opened, bytes: 0, day: dayOf(time), checkpointAt: this.now(), checkpointSeq: 0}
    return this.segment
  }

  /** Close the open segment and record in the index how far it got. */
  private seal(): void {
    const segment = this.segment
    if (!segment) return
    this.segment = undefined
    closeSync(segment.fd)
    appendIndex(this.dir, {type: 'seal', segment: segment.name, count: segment.seq, last: segment.last, time: this.now()})
  }

  /** After a failed write: seal what is known good and start afresh. */
  private abandonSegment(): void {
    try {
      this.seal()
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

function dayOf(time: number): number {
  return Math.floor(time / DAY_MS)
}
