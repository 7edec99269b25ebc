import {detectResult, detectTools} from '../detect/index.js'
import {type TextFinding, textFinding} from '../detect/injection.js'
import {redactJson} from '../telemetry/redact.js'
import type {ToolDefinition} from './pins.js'

/** Poisoning signs in tool definitions (the detector reads every field; the server's tools are each other's context). */
export function scanTools(tools: readonly ToolDefinition[]): Array<{tool: string; findings: TextFinding[]}> {
  return detectTools(tools as unknown as Array<Record<string, unknown>>).map(({tool, findings}) => ({tool, findings: findings.map(textFinding)}))
}

/** Injection signs in what comes back (a result of any kind, or an error's message and data) before the model reads it. */
export function scanResult(result: Record<string, unknown>): TextFinding[] {
  return detectResult(result).map(textFinding)
}

/**
 * What came back with secrets redacted in every string (src/telemetry/redact.ts: the one key-aware
 * redactor), and how many changed; only media and blob payloads are left as they are. A clean result
 * is returned as it came, without a copy per call.
 */
export function redactResult<T extends object>(result: T): {result: T; count: number} {
  const {value, count} = redactJson(result, {payloads: true})
  return {result: value, count}
}
