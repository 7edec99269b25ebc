import {closeSync, openSync, readdirSync, readSync, statSync} from 'node:fs'
import {join} from 'node:path'

/**
 * The files of a trace store (<stateDir>/traces): segment files `<start>-<pid>-<random>.jsonl`, each
 * one writer's hash chain, and `index.jsonl`, the journal that ties them together (journal.ts).
 */

export const INDEX_FILE = 'index.jsonl'
const SEGMENT_SUFFIX = '.jsonl'
const SEGMENT_NAME = /^\d{8}T\d{9}Z-\d+-[0-9a-f]{6}$/
const SEGMENT_START = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/
export const DAY_MS = 86_400_000

export interface SegmentFile {
  name: string
  path: string
  bytes: number
}

export {tracesDir} from '../../state-layout.js'

/** The name of a segment a writer opens at `time`: it sorts by start time, and no two writers share one. */
export function segmentName(time: number, pid: number, random: string): string {
  return `${new Date(time).toISOString().replaceAll(/[-:.]/g, '')}-${pid}-${random}`
}

export function isSegmentName(name: string): boolean {
  return SEGMENT_NAME.test(name)
}

export function segmentPath(dir: string, name: string): string {
  return join(dir, name + SEGMENT_SUFFIX)
}

/** When a segment was opened, from its name: it holds no record older than that. 0 when unnamed. */
export function segmentStart(name: string): number {
  const m = SEGMENT_START.exec(name)
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) : 0
}

/** The segment files in name order (which is start order). */
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

const CHUNK_BYTES = 1 << 20

/**
 * Calls `fn` for each line of a file (numbered from 1), read in 1 MiB chunks: memory stays bounded by
 * the longest line, however large the file, and the lines of a chunk are handled in one synchronous
 * loop (a per-line await costs a third of a million-record pass). A torn last line (no newline) is
 * still a line: the chain check names it.
 */
export function eachLine(path: string, fn: (line: string, number: number) => void): void {
  const fd = openSync(path, 'r')
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    // Bytes of a line not finished in the last chunk, kept at the buffer's start.
    let kept = 0
    let number = 0
    for (;;) {
      if (kept === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(bigger, 0, 0, kept)
        buffer = bigger
      }

      const read = readSync(fd, buffer, kept, buffer.length - kept, null)
      if (read === 0) {
        if (kept > 0) fn(buffer.toString('utf8', 0, kept), ++number)
        return
      }

      const end = kept + read
      // A newline byte is never part of a multi-byte UTF-8 character: cutting there splits no character.
      const last = buffer.lastIndexOf(10, end - 1)
      if (last < 0) {
        kept = end
        continue
      }

      for (const line of buffer.toString('utf8', 0, last).split('\n')) fn(line, ++number)
      buffer.copy(buffer, 0, last + 1, end)
      kept = end - last - 1
    }
  } finally {
    closeSync(fd)
  }
}
