import {scanText, type TextFinding} from '../detect/injection.js'
import {redactText} from '../detect/secrets.js'
import type {ToolDefinition} from './pins.js'

/** Poisoning signs in tool definitions: the description and every string in the input schema. */
export function scanTools(tools: readonly ToolDefinition[]): Array<{tool: string; findings: TextFinding[]}> {
  const out: Array<{tool: string; findings: TextFinding[]}> = []
  for (const tool of tools) {
    const text = [tool.title, tool.description, ...stringsIn(tool.inputSchema)].filter(Boolean).join('\n')
    const findings = scanText(text)
    if (findings.length > 0) out.push({tool: tool.name, findings})
  }

  return out
}

/** Injection signs in the text a tool result puts before the model. */
export function scanResult(result: Record<string, unknown>): TextFinding[] {
  return scanText(stringsIn(result).join('\n'))
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

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out)
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) if (key !== 'data' && key !== 'blob') stringsIn(item, out)
  }

  return out
}
