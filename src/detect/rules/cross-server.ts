import type {Hit} from '../finding.js'
import {originalSpan} from '../fold.js'
import {isWellKnown, normaliseName, ownNames} from '../names.js'
import {DEFINITIONS, pattern, phraseHits, type Subject, type TextRule} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'cross-server',
  technique: 'cross-server',
  severity: 'high',
  surfaces: DEFINITIONS,
  description: "A description that tells the model how to use, or not to use, another server's tools (shadowing).",
} as const

const NAME = String.raw`[\x60'"]?(?<name>[a-z0-9][a-z0-9.-]{0,30}(?: [a-z0-9][a-z0-9.-]{0,30}){0,4})[\x60'"]?`
// Folded text: `_` reads as a space, so `send_email` is "send email" here.
const REFERENCES = [
    String.raw`(?<![a-z])(?:when|whenever|if|each\s+time|every\s+time|any\s+time|after|before)\s+(?:the\s+user|you|the\s+assistant|the\s+agent|the\s+model|anyone|someone)\s+(?:\w+\s+){0,2}?(?:call|calls|use|uses|invoke|invokes|run|runs|execute|executes|request|requests)\s+(?:the\s+|any\s+|a\s+)?${NAME}(?:\s+(?:tool|function|command))?(?![a-z])`,
    String.raw`(?<![a-z])(?:instead\s+of|rather\s+than|in\s+place\s+of)\s+(?:using\s+|calling\s+|invoking\s+)?(?:the\s+|any\s+)?${NAME}(?:\s+(?:tool|function|command))?(?![a-z])`,
    String.raw`(?<![a-z])(?:do\s+not|don't|never|must\s+not|should\s+not|stop|avoid)\s+(?:ever\s+)?(?:use|using|call|calling|invoke|invoking|run|running|trust|trusting|rely\s+on)\s+(?:the\s+|any\s+)?${NAME}(?:\s+(?:tool|function|command))?(?![a-z])`,
    String.raw`(?<![a-z])(?:this\s+tool|it)\s+(?:replaces|supersedes|overrides|shadows|takes\s+over|takes\s+precedence\s+over|must\s+be\s+used\s+instead\s+of|is\s+the\s+only\s+(?:safe|correct|allowed|approved)\s+(?:way|tool))\s+(?:the\s+|any\s+|to\s+)?${NAME}`,
].map((source) => pattern(source))
// Other servers and their tools in general ("tools from other servers must…", "all other MCP tools").
const OTHER_SERVERS = pattern(
  String.raw`(?<![a-z])(?:(?:all|any|every|other|another|different|third[- ]party|external|remaining|competing|built-?in|native|default)\s+(?:other\s+)?(?:mcp\s+)?(?:servers?|tools?|functions?|plugins?|integrations?)(?:'s?)?|(?:tools?|functions?)\s+(?:from|of|provided\s+by|belonging\s+to|on)\s+(?:other|another|different|the\s+[a-z0-9-]{2,20})\s+(?:mcp\s+)?servers?)(?![a-z])[^.!?\n]{0,60}?(?<![a-z])(?:must|should|need\s+to|have\s+to|are\s+required\s+to|are\s+(?:broken|unsafe|deprecated|disabled|compromised|not\s+allowed|forbidden)|is\s+(?:broken|unsafe|deprecated|disabled|compromised|forbidden)|will\s+fail|always|never|first|only\s+after)(?![a-z])`,
)

/**
 * Not a tool at all, or the tool itself. A server's own tools are not exempt: honest descriptions
 * point to them ("call list_files first", "use get_alerts instead"), which these patterns do not
 * match; "never use X", "instead of X" and "when the user calls X, also…" steer calls whoever owns X.
 */
function selfOrWord(name: string, subject: Subject): boolean {
  const normal = normaliseName(name.replaceAll(' ', '_'))
  const {self} = subject.context
  if (self && normaliseName(self) === normal) return true
  const known = (subject.context.otherTools ?? []).some(({tool}) => normaliseName(tool) === normal) || ownNames(subject.context).has(normal)
  // A reference counts when it names a known or well-known tool, or is spelt like a tool name in the text.
  return !known && !isWellKnown(normal) && !(/[ _.-]/.test(name) && subject.text.toLowerCase().includes(normal))
}

/** The longest run of the words after the verb that names a tool ("brave web search tool, always" → "brave web search"). */
function toolName(words: string, subject: Subject): string | undefined {
  const parts = words.split(' ')
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join(' ')
    if (/^(?:this|it|that|them|tool|tools|the|a|an|one|any|all|other)$/.test(parts[0])) return undefined
    if (!selfOrWord(name, subject)) return name
  }

  return undefined
}

export const crossServer: TextRule = {
  meta,
  check(subject: Subject): Hit[] {
    const hits = REFERENCES.flatMap((reference) =>
      phraseHits(subject, meta, reference, (m) => {
        const name = toolName(m.groups!.name, subject)
        if (!name) return undefined
        return `The text tells the model how to use another tool, "${name}": "${excerptOf(m[0])}".`
      }),
    )
    hits.push(...phraseHits(subject, meta, OTHER_SERVERS, (m) => `The text gives orders about other servers' tools: "${excerptOf(m[0])}".`))
    // A plain mention of another server's tool by name (only when the caller knows the other servers).
    for (const {server, tool} of subject.context.otherTools ?? []) {
      if (hits.length >= 3) break
      const normal = normaliseName(tool)
      if (normal.length < 5 || !normal.includes('_') || normal === normaliseName(subject.context.self ?? '')) continue
      if (ownNames(subject.context).has(normal)) continue
      const at = subject.folded.text.indexOf(normal.replaceAll('_', ' '))
      if (at === -1) continue
      const [start, end] = originalSpan(subject.folded, at, at + normal.length, subject.text)
      hits.push({rule: meta.id, technique: meta.technique, severity: 'medium', message: `The text names "${tool}", a tool of server "${server}".`, start, end})
    }

    return hits
  },
}
