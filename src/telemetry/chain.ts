import {canonicalJson, sha256} from '../digest.js'

/**
 * The line format shared by trace segments and the segment index:
 *
 *   {"prev":"<64 hex>","seq":<n>,<the record as canonical JSON members, keys sorted>,"hash":"<64 hex>"}
 *
 * The hash is SHA-256 over exactly the stored bytes before `,"hash":"`, so verify never
 * re-serialises: what is on disk is what was hashed, and a record can always be re-checked from the
 * file alone. `prev` and `seq` sit at fixed places so verify reads them without parsing the JSON
 * (1,000,000 records in well under 5 s), and readers take them from the same places, so a reader
 * and verify can never disagree about where a record sits in its chain.
 */

export const GENESIS = '0'.repeat(64)
const HEAD = '{"prev":"'
const SEQ = '","seq":'
const HASH_MEMBER = ',"hash":"'
/** `,"hash":"` + 64 hex + `"}` */
const SUFFIX_LENGTH = HASH_MEMBER.length + 64 + 2
const HEX64 = /^[0-9a-f]{64}$/

/** The stored line (without newline) and its hash. `body` must not hold prev, seq or hash members. */
export function sealLine(prev: string, seq: number, body: Record<string, unknown>): {line: string; hash: string} {
  return sealMembers(prev, seq, bodyMembers(body))
}

/** The part of a stored line that does not depend on its place in the chain: made ahead, sealed later. */
export function bodyMembers(body: Record<string, unknown>): string {
  return canonicalJson(body).slice(1, -1)
}

export function sealMembers(prev: string, seq: number, members: string): {line: string; hash: string} {
  const hashed = `${HEAD}${prev}${SEQ}${seq}${members ? ',' + members : ''}`
  const hash = sha256(hashed)
  return {line: `${hashed}${HASH_MEMBER}${hash}"}`, hash}
}

export type CheckedLine = {ok: true; prev: string; seq: number; hash: string} | {ok: false; reason: string; seq?: number}

/** Check a stored line's shape and own hash (not its place in the chain) without parsing it. */
export function checkLine(line: string): CheckedLine {
  const at = line.length - SUFFIX_LENGTH
  const seqEnd = at > 0 ? seqEndOf(line) : -1
  if (at < 0 || !line.startsWith(HASH_MEMBER, at) || !line.endsWith('"}') || !line.startsWith(HEAD) || !line.startsWith(SEQ, 73) || seqEnd < 0) {
    return {ok: false, reason: 'is not a complete record (torn, truncated or edited line)', seq: seqEnd > 0 ? Number(line.slice(81, seqEnd)) : undefined}
  }

  const seq = Number(line.slice(81, seqEnd))
  const prev = line.slice(9, 73)
  const stated = line.slice(at + HASH_MEMBER.length, line.length - 2)
  if (!HEX64.test(prev) || sha256(line.slice(0, at)) !== stated) return {ok: false, reason: 'does not match its hash (edited)', seq}
  return {ok: true, prev, seq, hash: stated}
}

function seqEndOf(line: string): number {
  let i = 81
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++
  return i > 81 && (line[i] === ',' || line[i] === '}') ? i : -1
}

export type OpenedLine = {ok: true; value: Record<string, unknown>; prev: string; seq: number; hash: string} | {ok: false; reason: string; seq?: number}

/** Check a line and parse it. prev, seq and hash come from their fixed places, never from the JSON. */
export function openLine(line: string): OpenedLine {
  const checked = checkLine(line)
  if (!checked.ok) return checked
  const value = parseLine(line, checked)
  return value ? {...checked, value} : {ok: false, reason: 'is not valid JSON (edited line)', seq: checked.seq}
}

/** Parse a line that passed checkLine; undefined when it is not JSON. */
export function parseLine(line: string, checked: {prev: string; seq: number; hash: string}): Record<string, unknown> | undefined {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }

  // From the fixed places: a duplicate member further on in the JSON must not move a record in its chain.
  value.prev = checked.prev
  value.seq = checked.seq
  value.hash = checked.hash
  return value
}

const TIME_MEMBER = ',"time":'

/**
 * A record's time without parsing its line, for skipping lines outside a window; undefined when it
 * cannot be told that way. Only when `,"time":` occurs once: it cannot occur inside a JSON string
 * (the quote would be escaped), so once means the record's own member, whatever else it holds.
 */
export function recordTime(line: string): number | undefined {
  const at = line.indexOf(TIME_MEMBER)
  if (at < 0 || line.indexOf(TIME_MEMBER, at + 1) >= 0) return undefined
  const from = at + TIME_MEMBER.length
  let end = from
  while (end < line.length && ((line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) || line[end] === '.')) end++
  const time = Number(line.slice(from, end))
  return end > from && (line[end] === ',' || line[end] === '}') && Number.isFinite(time) ? time : undefined
}
