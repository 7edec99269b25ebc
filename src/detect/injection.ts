import {findHiddenText} from './hidden-text.js'
import {scanWindows} from './windows.js'

export interface TextFinding {
  kind: string
  detail: string
}

interface Pattern {
  kind: string
  pattern: RegExp
  what: string
}

/**
 * Signs that text meant for a model carries instructions of its own (tool poisoning, injected tool
 * results). Data, one row per sign; every pattern is linear-time (bounded repeats, no nesting).
 */
const PATTERNS: readonly Pattern[] = [
  {kind: 'html-comment', pattern: /<!--[\s\S]{0,2000}?-->/, what: 'an HTML comment the user does not see'},
  {kind: 'model-tag', pattern: /<\/?(?:important|system|instructions?|secret|hidden|admin|assistant)\b[^>]{0,100}>|\[\/?INST\]|<\|im_(?:start|end)\|>/i, what: 'a tag aimed at the model'},
  {
    kind: 'override-instructions',
    pattern: /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|other|system)\s+(?:instructions|prompts?|rules|messages)\b/i,
    what: 'an instruction to ignore earlier instructions',
  },
  {
    kind: 'conceal-from-user',
    pattern: /\b(?:do\s+not|don't|never)\s+(?:tell|inform|mention|show|reveal|notify)\s+(?:this\s+to\s+)?(?:the\s+)?user\b/i,
    what: 'an instruction to hide something from the user',
  },
  {
    kind: 'sensitive-path',
    pattern: /(?:~|\$HOME|\/home\/[\w.-]{1,64}|\/Users\/[\w.-]{1,64})\/\.(?:ssh|aws|gnupg|kube|docker|config\/gh)\b|\bid_(?:rsa|ed25519|ecdsa)\b|\/etc\/(?:passwd|shadow)\b|\bmcp\.json\b|\.env\b(?!\.example)/i,
    what: 'a reference to credentials or config files',
  },
  {
    kind: 'exfiltration',
    pattern: /\b(?:send|post|upload|forward|exfiltrate|transmit)\s+(?:it|them|this|that|the\s+\w{1,30}|all\s+\w{1,30}|its\s+contents?)\s+(?:to|into)\s+(?:https?:\/\/|\S{1,100}@|the\s+(?:following|url|endpoint|webhook))/i,
    what: 'an instruction to send data somewhere',
  },
  {kind: 'shell-fetch', pattern: /\b(?:curl|wget|Invoke-WebRequest)\s+(?:-\w+\s+){0,4}https?:\/\//i, what: 'a command that fetches or posts to the network'},
  {kind: 'base64-payload', pattern: /[A-Za-z0-9+/]{200,}={0,2}/, what: 'a long base64 payload'},
  {
    kind: 'tool-redirect',
    pattern: /\b(?:instead\s+of|rather\s+than|before)\s+(?:using|calling)\s+(?:the\s+|any\s+)?[\w.-]{1,64}\s+tool\b|\bwhen\s+(?:the\s+user|you)\s+(?:call|use)s?\s+(?:the\s+|any\s+)?[\w.-]{1,64}\s+tool\b/i,
    what: 'an instruction about how to use other tools',
  },
]

/** Every sign found in `text`, at most one per kind, with a short excerpt. */
export function scanText(text: string): TextFinding[] {
  const findings: TextFinding[] = []
  const found = new Set<string>()
  for (const piece of scanWindows(text)) {
    for (const {kind, pattern, what} of PATTERNS) {
      if (found.has(kind)) continue
      const match = pattern.exec(piece)
      if (!match) continue
      found.add(kind)
      findings.push({kind, detail: `${what}: "${excerpt(match[0])}"`})
    }
  }

  const hidden = findHiddenText(text)
  if (hidden.length > 0) {
    findings.push({kind: 'hidden-text', detail: `${hidden.length} invisible or direction-changing character(s), first ${hidden[0].codePoint}`})
  }

  return findings
}

function excerpt(text: string): string {
  const flat = text.replaceAll(/\s+/g, ' ')
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat
}
