import {hash as digest} from 'node:crypto'

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

export function sha256(text: string): string {
  return digest('sha256', text, 'hex')
}

/**
 * JSON with object keys sorted by code unit at every depth (integer-like keys too); undefined,
 * function and symbol members are left out, as JSON does. Written out directly, with no sorted copy,
 * since it runs for every record; a copy also lost members named __proto__. Verify hashes the stored
 * bytes and never re-serialises, so records written before read as they did.
 */
export function canonicalJson(value: unknown): string {
  return member(value) ?? 'null'
}

function member(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': {
      return JSON.stringify(value)
    }

    case 'number': {
      return Number.isFinite(value) ? JSON.stringify(value) : 'null'
    }

    case 'boolean': {
      return value ? 'true' : 'false'
    }

    case 'bigint': {
      throw new TypeError('a BigInt cannot be stored in a trace record')
    }

    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) {
        let items = ''
        for (let i = 0; i < value.length; i++) items += `${i > 0 ? ',' : ''}${member(value[i]) ?? 'null'}`
        return `[${items}]`
      }

      let out = ''
      for (const key of Object.keys(value).sort()) {
        const text = member((value as Record<string, unknown>)[key])
        if (text !== undefined) out += `${out ? ',' : ''}${JSON.stringify(key)}:${text}`
      }

      return `{${out}}`
    }

    default: {
      return undefined
    }
  }
}

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
  let value: Record<string, unknown>
  try {
    value = JSON.parse(line) as Record<string, unknown>
  } catch {
    return {ok: false, reason: 'is not valid JSON (edited line)', seq: checked.seq}
  }

  value.prev = checked.prev
  value.seq = checked.seq
  delete value.hash
  return {...checked, value}
}
