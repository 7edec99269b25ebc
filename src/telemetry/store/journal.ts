import {closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, unlinkSync, writeSync} from 'node:fs'
import {join} from 'node:path'

import {checkLine, GENESIS, openLine, sealLine} from '../chain.js'
import {eachLine, INDEX_FILE} from './segments.js'

/**
 * The segment index (`index.jsonl`): a small hash chain of what happened to each segment, appended
 * under a lock file. An `open` entry's hash is the segment's first `prev`; `checkpoint` entries say
 * how far a segment got so far (count and last hash), a `seal` how far it got in the end, and a
 * `prune` that retention removed it.
 */

const LOCK_FILE = 'index.lock'
/** A lock older than this belongs to a writer that died inside the critical section. */
const STALE_LOCK_MS = 5000

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

export interface IndexProblem {
  line: number
  message: string
}

/** What the index says about one segment. */
export interface SegmentFacts {
  open?: IndexEntry
  /** The furthest the index saw the segment reach (checkpoint or seal). */
  reached?: IndexEntry
  sealed?: IndexEntry
  pruned?: IndexEntry
}

/** Append one entry to the index; returns its hash. Waits for the lock (breaking a stale one). */
export function appendIndex(dir: string, body: IndexBody): string {
  const hash = withIndexLock(dir, 10_000, () => appendIndexLocked(dir, body))
  if (hash === undefined) throw new Error(`the trace index lock ${join(dir, LOCK_FILE)} stayed busy`)
  return hash
}

/** Append when the lock can be had within waitMs; false when it could not, or the write failed. */
export function tryAppendIndex(dir: string, body: IndexBody, waitMs: number): boolean {
  try {
    return withIndexLock(dir, waitMs, () => appendIndexLocked(dir, body)) !== undefined
  } catch {
    return false
  }
}

export function readIndex(dir: string): {entries: IndexEntry[]; problems: IndexProblem[]} {
  const path = join(dir, INDEX_FILE)
  if (!existsSync(path)) return {entries: [], problems: []}
  const entries: IndexEntry[] = []
  const problems: IndexProblem[] = []
  let prev = GENESIS
  eachLine(path, (line, number) => {
    const opened = openLine(line)
    if (!opened.ok) {
      problems.push({line: number, message: `index entry ${number} ${opened.reason}`})
      prev = ''
      return
    }

    const entry = opened.value as unknown as IndexEntry
    if (entry.seq !== number) problems.push({line: number, message: `index entry at line ${number} says it is entry ${entry.seq}: entries were deleted, inserted or reordered`})
    else if (prev && entry.prev !== prev) problems.push({line: number, message: `index entry ${number} does not follow the entry before it (prev hash differs)`})
    prev = opened.hash
    entries.push(entry)
  })
  return {entries, problems}
}

/** The index folded per segment: the one reading of it that verify, the report and prune share. */
export function segmentFacts(entries: readonly IndexEntry[]): Map<string, SegmentFacts> {
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

  return facts
}

function appendIndexLocked(dir: string, body: IndexBody): string {
  const path = join(dir, INDEX_FILE)
  const fd = openSync(path, 'a+', 0o600)
  try {
    const size = fstatSync(fd).size
    const previous = lastLine(fd, size)
    let seq = 1
    let prev = GENESIS
    if (previous) {
      const checked = checkLine(previous)
      if (!checked.ok) throw new Error(`the last entry of ${path} ${checked.reason}; run 'agentgov traces verify'`)
      seq = checked.seq + 1
      prev = checked.hash
    }

    const {line, hash} = sealLine(prev, seq, body as unknown as Record<string, unknown>)
    const bytes = Buffer.from(line + '\n')
    try {
      let offset = 0
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
    } catch (error) {
      // A full disk can take part of the entry: cut it off, or every later append would refuse the
      // torn last line and the index would stay broken after space returns.
      try {
        ftruncateSync(fd, size)
      } catch {
        // Verify names the torn entry.
      }

      throw error
    }

    return hash
  } finally {
    closeSync(fd)
  }
}

function lastLine(fd: number, size: number): string | undefined {
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
