import {detectResult, detectTools} from '../detect/index.js'
import {type TextFinding, textFinding} from '../detect/injection.js'
import {redactText} from '../detect/secrets.js'
import type {ToolDefinition} from './pins.js'

/** Poisoning signs in tool definitions (the detector reads every field; the server's tools are each other's context). */
export function scanTools(tools: readonly ToolDefinition[]): Array<{tool: string; findings: TextFinding[]}> {
  return detectTools(tools as unknown as Array<Record<string, unknown>>).map(({tool, findings}) => ({tool, findings: findings.map(textFinding)}))
}

/** Injection signs in the text a tool result puts before the model. */
export function scanResult(result: Record<string, unknown>): TextFinding[] {
  return detectResult(result).map(textFinding)
}

/**
 * The result with secrets redacted in every string (text content, structured content), and how many
 * changed. Only the objects and arrays on the way to a changed string are copied: a clean result is
 * returned as it came, without a copy per call.
 */
export function redactResult(result: Record<string, unknown>): {result: Record<string, unknown>; count: number} {
  let count = 0
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      // Binary payloads (images, audio) are base64, not text: leave them alone.
      if (key === 'data' || key === 'blob') return value
      const redacted = redactText(value)
      if (redacted !== value) count++
      return redacted
    }

    if (Array.isArray(value)) {
      const items = value.map((item) => walk(item))
      return items.some((item, i) => item !== value[i]) ? items : value
    }

    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value)
      const walked = entries.map(([k, v]) => walk(v, k))
      // fromEntries defines own properties, so a key named __proto__ stays data, never a prototype.
      return walked.some((item, i) => item !== entries[i][1]) ? Object.fromEntries(entries.map(([k], i) => [k, walked[i]])) : value
    }

    return value
  }

  return {result: walk(result) as Record<string, unknown>, count}
}
