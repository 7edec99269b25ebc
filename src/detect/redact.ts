/**
 * How a secret value looks anywhere agentgov writes it: a short prefix (enough to tell which key it
 * is, as code-scanning tools show) only for long values, never the rest.
 */
export function redactValue(value: string): string {
  if (value.length >= 20) return `${value.slice(0, 4)}…[redacted ${value.length} chars]`
  return '[redacted]'
}

/** Interpolation tokens that a client expands at launch: not literal secrets. */
const INTERPOLATION = /\$\{[^}]+\}|\$\{\{[^}]+\}\}|\{env:[^}]+\}|^\$[A-Z_][A-Z0-9_]*$|^%[A-Z_][A-Z0-9_]*%$/i

export function isInterpolated(value: string): boolean {
  return INTERPOLATION.test(value)
}
