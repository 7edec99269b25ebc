import {holderOf, isPayload, type PayloadHolder} from '../detect/fields.js'
import {detectSecret, redactText, redactUrl, SECRET_NAME_WORDS, secretNameStrength} from '../detect/secrets.js'
import type {DecisionRecord} from './types.js'

/**
 * Secrets are redacted before a record is written or exported, so neither the store nor a backend
 * ever holds one. Reasons, conditions and finding details repeat (they come from policy rules), and
 * the detectors cost microseconds per string, so their redacted forms are memoised.
 */
const memo = new Map<string, string>()
const MEMO_LIMIT = 2048

export function redactString(text: string): string {
  const hit = memo.get(text)
  if (hit !== undefined) return hit
  const redacted = redactText(text)
  if (memo.size >= MEMO_LIMIT) memo.clear()
  memo.set(text, redacted)
  return redacted
}

/** No secret format is shorter than this: shorter object keys are not worth a scan. */
const MIN_SECRET = 8
/** A value under a secret-named key longer than this is no credential: it is scanned as text. */
const MAX_NAMED = 4096
const keyMemo = new Map<string, boolean>()

/** Keys repeat across results (`text`, `type`, `uri`): whether one names a secret is worked out once. */
function secretKey(key: string): boolean {
  let named = keyMemo.get(key)
  if (named === undefined) {
    named = SECRET_NAME_WORDS.test(key) && secretNameStrength(key) !== undefined
    if (keyMemo.size >= MEMO_LIMIT) keyMemo.clear()
    keyMemo.set(key, named)
  }

  return named
}

/** As deep as a message can be (the proxy's decoder refuses past 256 levels); anything deeper is replaced. */
const MAX_DEPTH = 260

export interface RedactOptions {
  /**
   * Leave the base64 payload of image and audio items and resource blobs alone (fields.ts isPayload):
   * for what a server returns, whose bytes are no text. Arguments are redacted whole.
   */
  payloads?: boolean
}

/**
 * The one key-aware redactor, for arguments, results and errors alike: every string (values and
 * object keys) has its known secret formats redacted, and a value under a secret-named key
 * (`password`, `client_secret`, `aws_secret_access_key`) is redacted by its key and shape even when
 * it matches no format. Copy on write: only the objects and arrays on the way to a changed string are
 * copied, so a clean value comes back as it came. `count`: how many strings changed.
 */
export function redactJson<T>(value: T, options: RedactOptions = {}): {value: T; count: number} {
  let count = 0
  const text = (s: string, key: string | undefined): string => {
    // Only a secret-looking key changes the verdict; any other string (and any long one) is scanned piece by piece.
    const named = key !== undefined && s.length <= MAX_NAMED && secretKey(key) ? detectSecret(s, key) : undefined
    const redacted = named ? named.redacted : redactText(s)
    if (redacted !== s) count++
    return redacted
  }

  const walk = (node: unknown, key: string | undefined, depth: number, top: boolean, holder: PayloadHolder): unknown => {
    if (typeof node === 'string') return text(node, key)
    if (node === null || typeof node !== 'object') return node
    if (depth > MAX_DEPTH) {
      count++
      return '[too deep]'
    }

    if (Array.isArray(node)) {
      // An array holds what its key names: `passwords: [...]` are all passwords.
      const items = node.map((item) => walk(item, key, depth + 1, false, holder))
      return items.some((item, i) => item !== node[i]) ? items : node
    }

    const object = node as Record<string, unknown>
    let changed = false
    const entries = Object.entries(object).map(([k, v]): [string, unknown] => {
      // Keys repeat from call to call: their redacted forms come from the memo.
      const name = k.length >= MIN_SECRET ? redactString(k) : k
      if (name !== k) count++
      const walked = options.payloads && isPayload(object, k, holder, v) ? v : walk(v, k, depth + 1, false, holderOf(object, k, top))
      if (name !== k || walked !== v) changed = true
      return [name, walked]
    })
    // fromEntries defines own properties, so a key named __proto__ stays data, never a prototype.
    return changed ? Object.fromEntries(entries) : node
  }

  return {value: walk(value, undefined, 0, true, 'other') as T, count}
}

/** Arguments with every string scanned, and values under secret-looking keys judged by key and shape. */
export function redactValue(value: unknown): unknown {
  return redactJson(value).value
}

/**
 * A resource URI as a record's subject: known formats and secret-named query parameters redacted,
 * and the password of a `user:password@` always (a URI names a place; its password is never needed
 * to say which).
 */
export function redactUri(uri: string): string {
  const redacted = redactUrl(redactString(uri))
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(redacted)
  if (!scheme) return redacted
  const start = scheme[0].length
  let end = start
  while (end < redacted.length && !'/?#'.includes(redacted[end])) end++
  const at = redacted.lastIndexOf('@', end - 1)
  const colon = redacted.indexOf(':', start)
  if (at < start || colon === -1 || colon > at || redacted.slice(colon + 1, at).includes('[redacted')) return redacted
  return `${redacted.slice(0, colon + 1)}[redacted]${redacted.slice(at)}`
}

export function redactRecord(record: DecisionRecord): DecisionRecord {
  const out: DecisionRecord = {...record}
  if (out.reason) out.reason = redactString(out.reason)
  if (out.condition) out.condition = redactString(out.condition)
  if (out.findings) out.findings = out.findings.map((f) => ({kind: f.kind, detail: redactString(f.detail)}))
  if (out.args !== undefined) out.args = redactValue(out.args)
  if (out.tool !== undefined && out.stage === 'resource') out.tool = redactUri(out.tool)
  if (out.trust?.detail) out.trust = {...out.trust, detail: redactString(out.trust.detail)}
  return out
}
