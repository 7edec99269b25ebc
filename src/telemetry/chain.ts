import {createHash} from 'node:crypto'

/**
 * The line format shared by trace segments and the segment index: canonical JSON of the record
 * (keys sorted, no whitespace) with `"hash"` appended as the last member. The hash is SHA-256 over
 * exactly the stored bytes before that member, so verify never re-serialises: what is on disk is
 * what was hashed, and a record can always be re-checked from the file alone.
 */

export const GENESIS = '0'.repeat(64)
const HASH_MEMBER = ',"hash":"'
/** `,"hash":"` + 64 hex + `"}` */
const SUFFIX_LENGTH = HASH_MEMBER.length + 64 + 2

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** JSON with object keys sorted at every depth; undefined members are left out, as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v))
  if (value === null || typeof value !== 'object') return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined) sorted[key] = sortKeys(member)
  }
  return sorted
}

/** The stored line (without newline) and its hash. `body` must not hold a `hash` member. */
export function sealLine(body: Record<string, unknown>): {line: string; hash: string} {
  const text = canonicalJson(body)
  const hash = sha256(text)
  return {line: `${text.slice(0, -1)}${HASH_MEMBER}${hash}"}`, hash}
}

export type OpenedLine =
  | {ok: true; value: Record<string, unknown>; hash: string}
  | {ok: false; reason: string}

/** Parse a stored line and check its own hash (not its place in the chain). */
export function openLine(line: string): OpenedLine {
  const at = line.length - SUFFIX_LENGTH
  if (at < 1 || !line.startsWith(HASH_MEMBER, at) || !line.endsWith('"}')) return {ok: false, reason: 'is not a complete record (torn or truncated line)'}
  let value: Record<string, unknown>
  try {
    value = JSON.parse(line) as Record<string, unknown>
  } catch {
    return {ok: false, reason: 'is not valid JSON (torn or edited line)'}
  }

  const stated = line.slice(at + HASH_MEMBER.length, line.length - 2)
  const actual = sha256(line.slice(0, at) + '}')
  if (stated !== actual) return {ok: false, reason: 'does not match its hash (edited)'}
  delete value.hash
  return {ok: true, value, hash: stated}
}
