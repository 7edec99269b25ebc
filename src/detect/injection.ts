import {detectText, type Finding} from './index.js'

/** A finding as the proxy records it: the technique and one sentence (with the field when there is one). */
export interface TextFinding {
  kind: string
  detail: string
}

export function textFinding(finding: Finding): TextFinding {
  const where = finding.field === 'text' ? '' : ` (in ${finding.field})`
  return {kind: finding.technique, detail: `${finding.message}${where}`}
}

/** Every sign in `text` that it carries instructions aimed at the model, at most one per technique. */
export function scanText(text: string): TextFinding[] {
  const seen = new Set<string>()
  const out: TextFinding[] = []
  for (const finding of detectText(text)) {
    if (seen.has(finding.technique)) continue
    seen.add(finding.technique)
    out.push(textFinding(finding))
  }

  return out
}
