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

/** The result with secrets redacted in every string (text content, structured content), and how many changed. */
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

    if (Array.isArray(value)) return value.map((item) => walk(item))
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]))
    }

    return value
  }

  const redacted = walk(result) as Record<string, unknown>
  return {result: count > 0 ? redacted : result, count}
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out)
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) if (key !== 'data' && key !== 'blob') stringsIn(item, out)
  }

  return out
}
