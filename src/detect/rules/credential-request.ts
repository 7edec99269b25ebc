import {CREDENTIAL_STORES, CREDENTIAL_WORDS, OTHER_OWNER, PASS_VERBS, TAKE_VERBS} from '../catalogue/credentials.js'
import {ALL_SURFACES, gated, pattern, phraseHits, type Subject, type TextRule, words} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'credential-request',
  technique: 'credential-request',
  severity: 'high',
  surfaces: ALL_SURFACES,
  description: "Text asking the model to read or hand over keys, tokens, ~/.ssh, .env, cookies or the user's other credentials.",
} as const

const LEAD = String.raw`(?<![a-z0-9])`
const TAIL = String.raw`(?![a-z])`
const STORE = String.raw`(?:${words(CREDENTIAL_STORES)})`
const HAND_VERBS = PASS_VERBS.filter((verb) => !['set', 'store', 'save', 'write', 'log', 'return', 'report', 'fill', 'populate', 'put', 'add', 'place', 'sync', 'push', 'pipe', 'mirror'].includes(verb))
const VERB = String.raw`(?:${words([...new Set([...TAKE_VERBS, ...HAND_VERBS])])})`
const OWNED = String.raw`(?:${words(OTHER_OWNER)})\s+(?:[a-z0-9-]{1,20}\s+){0,2}?(?:${words(CREDENTIAL_WORDS)})`
// `OPENAI_API_KEY`, `$GITHUB_TOKEN` (folded: "openai api key"), "the value of the x token".
const NAMED = String.raw`(?:\$[a-z][a-z0-9 ]{1,40}|(?:the\s+)?value\s+of\s+(?:the\s+)?[a-z0-9 ]{1,30}?)(?:api key|token|secret|password|access key|key)|(?:the\s+)?[a-z0-9]{2,20}\s+(?:api\s+key|token|secret|password|access\s+key)\s+(?:value|variable|env\s+var)`

const REQUEST = pattern(String.raw`${LEAD}(?<verb>${VERB})${TAIL}[^.!?\n]{0,60}?${LEAD}(?<what>${STORE}|${OWNED}|${NAMED})${TAIL}`)

/** Files that hold nothing but credentials: any verb that reaches for them is a request. */
const SECRET_FILE = /^(?:~\/\.ssh|\.ssh\/|\$home\/\.ssh|id (?:rsa|ed25519|ecdsa|dsa)|ssh private key|~\/\.aws|\.aws\/credentials|aws credentials|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.docker\/config\.json|\/etc\/shadow|keychain|wallet\.dat|seed phrase|recovery phrase|cookies\.sqlite|login data|saved passwords|browser passwords|browser cookies|hosts\.yml|\.config\/gh|mcp\.json|claude desktop config\.json|\.gnupg|master password|\.bash history|\.zsh history|shell history|application default credentials)$/
const HARVEST = /^(?:collect|gather|harvest|extract|steal|scrape|dump|grab|reveal|leak|exfiltrate|send|forward|upload|post|share|paste|include|attach|embed|append|transmit|relay)$/
const STORE_ONLY = new RegExp(String.raw`^(?:${STORE})$`)
// Not secret: the client config of ssh and the hosts it knows.
const SSH_PUBLIC = /^\/(?:config|known hosts|authorized keys)\b|^\/[a-z0-9 -]{1,30}\.pub\b/
// Handing over: "… and pass it as", "… in the `note` parameter", "… to https://".
const HAND_OVER = new RegExp(
  String.raw`^[^.!?\n]{0,80}?(?:\b(?:and|then|,)\s+(?:${words(PASS_VERBS)})\b|\b(?:in|into|as|to|inside|within|via|through|with|under)\s+(?:the\s+|this\s+|a\s+|an\s+|its\s+)?(?:[\x60'"]?[a-z0-9 -]{1,30}[\x60'"]?\s+)?(?:parameter|param|field|argument|arg|property|request|call|query|header|body|payload|url|note|notes|metadata|comment|context|tool|response)\b|https?:|@)`,
)
// "First", "before calling", "to verify": a step the model is told to take on the side.
const SIDE_STEP = /\b(?:before|first|prior\s+to|to\s+verify|for\s+verification|for\s+security|as\s+a\s+(?:security|safety)\s+(?:check|measure)|also)\b[^.!?\n]{0,60}$/

const GATE = /ssh|id |aws|rc\b|credential|docker|kube|env|shadow|passwd|key|wallet|seed|phrase|mnemonic|gpg|pgp|gnupg|cookie|login|password|hosts|gh|mcp|environ|secret|vault|token|oauth|2fa|otp|one-time|totp|history|\$|value/

export const credentialRequest: TextRule = {
  meta,
  check(subject: Subject) {
    const text = subject.folded.text
    return phraseHits(subject, meta, gated(GATE, text, REQUEST), (m) => {
      const {verb, what} = m.groups!
      const end = m.index + m[0].length
      if (/ssh\/?$/.test(what) && SSH_PUBLIC.test(text.slice(end, end + 40))) return undefined
      const direct = SECRET_FILE.test(what) || HARVEST.test(verb)
      const stored = STORE_ONLY.test(what)
      const handed = HAND_OVER.test(text.slice(end, end + 120))
      const aside = !stored && SIDE_STEP.test(text.slice(Math.max(0, m.index - 80), m.index))
      if (!direct && !handed && !aside) return undefined
      return `The text asks the model to get hold of credentials: "${excerptOf(m[0])}".`
    })
  },
}
