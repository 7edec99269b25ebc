/** The techniques the detector knows; a finding names one. */
export type Technique =
  | 'hidden-comment'
  | 'model-tag'
  | 'override'
  | 'concealment'
  | 'invisible-chars'
  | 'encoded-payload'
  | 'padding'
  | 'homoglyph'
  | 'typosquat'
  | 'exfiltration'
  | 'credential-request'
  | 'cross-server'

export type Severity = 'high' | 'medium' | 'low'

/** What is being judged: the detector runs on each, and some rules only make sense on some. */
export type Surface = 'tool' | 'prompt' | 'resource' | 'result'

export interface Finding {
  technique: Technique
  /** The rule that matched (one rule per module under rules/). */
  rule: string
  severity: Severity
  /** One sentence a person understands. */
  message: string
  /** Where: `description`, `name`, `inputSchema.properties.note.description`, `content[0].text`. */
  field: string
  /** UTF-16 offsets into that field's text. */
  start: number
  end: number
  /** The span with invisible characters made visible (`<U+200B>`), shortened when long. */
  excerpt: string
}

/** Which fields are part of a schema: a finding there is also schema injection. */
export function inSchema(finding: Pick<Finding, 'field'>): boolean {
  return /^(?:inputSchema|outputSchema|arguments)\b/.test(finding.field)
}

/** A finding before it is placed in a field: offsets into the text the rule was given. */
export interface Hit {
  rule: string
  technique: Technique
  severity: Severity
  message: string
  start: number
  end: number
}
