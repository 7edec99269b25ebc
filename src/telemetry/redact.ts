import {detectSecret, redactText} from '../detect/secrets.js'
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

/** Arguments with every string scanned, and values under secret-looking keys judged by key and shape. */
export function redactValue(value: unknown, key?: string, depth = 0): unknown {
  if (typeof value === 'string') {
    const named = key === undefined ? undefined : detectSecret(value, key)
    return named ? named.redacted : redactText(value)
  }

  if (value === null || typeof value !== 'object') return value
  // Arguments are agent-supplied: a pathological depth must not blow the stack of the writer.
  if (depth > 32) return '[too deep]'
  if (Array.isArray(value)) return value.map((v) => redactValue(v, key, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k, depth + 1)
  return out
}

export function redactRecord(record: DecisionRecord): DecisionRecord {
  const out: DecisionRecord = {...record}
  if (out.reason) out.reason = redactString(out.reason)
  if (out.condition) out.condition = redactString(out.condition)
  if (out.findings) out.findings = out.findings.map((f) => ({kind: f.kind, detail: redactString(f.detail)}))
  if (out.args !== undefined) out.args = redactValue(out.args)
  if (out.trust?.detail) out.trust = {...out.trust, detail: redactString(out.trust.detail)}
  return out
}
