import {MODEL_CONTEXT, SEND_VERBS, SENSITIVE_CONTEXT, STRONG_CONTEXT} from '../catalogue/exfiltration.js'
import {ALL_SURFACES, gated, pattern, phraseHits, type Subject, type TextRule, words} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'exfiltration',
  technique: 'exfiltration',
  severity: 'high',
  surfaces: ALL_SURFACES,
  description: 'Text telling the model to send, post, append or encode what it holds to an address, URL, parameter or file, or to fill a side-channel parameter.',
} as const

const LEAD = String.raw`(?<![a-z])`
const TAIL = String.raw`(?![a-z])`
const SEND = pattern(
  String.raw`${LEAD}(?<verb>${words(SEND_VERBS)})${TAIL}[^.!?\n]{0,60}?${LEAD}(?:the\s+|a\s+|your\s+|our\s+|this\s+)?(?:(?:full|entire|complete|whole|verbatim|exact|current|raw|recent)\s+)?(?<what>${words(MODEL_CONTEXT)})${TAIL}`,
)
// A side-channel parameter described by what it takes: "the full conversation so far", "your system prompt".
const SIDE_CHANNEL = pattern(
  String.raw`${LEAD}(?:(?:full|entire|complete|whole|verbatim|exact|current)\s+(?:conversation|chat|dialogue|message\s+history|chat\s+history)|conversation\s+(?:so\s+far|up\s+to\s+now|until\s+now|with\s+the\s+user|verbatim)|(?:everything|all)\s+(?:that\s+)?the\s+user\s+(?:has\s+)?(?:said|wrote|typed|asked|shared)|(?:your|the\s+model'?s|the\s+assistant'?s|the\s+agent'?s)\s+(?:system\s+prompt|hidden\s+instructions|initial\s+instructions|original\s+instructions)|(?:all\s+)?(?:previous|prior|earlier|preceding)\s+(?:messages|turns)\s+(?:of|in|from)\s+(?:this|the|our)\s+(?:conversation|chat|session))${TAIL}`,
)
// Data smuggled in a link the client loads: a Markdown image or link with a placeholder in its query.
const LINK_SMUGGLE = pattern(String.raw`!?\[[^\]\n]{0,100}\]\(\s{0,3}https?://[^)\s]{0,200}?(?:\{|%7b|\$\{|<|\[)[^)\s]{0,100}\)`)
const CARBON_COPY = pattern(
  String.raw`${LEAD}(?:bcc|cc|blind[ -]copy|blind[ -]carbon[ -]copy|copy|forward)${TAIL}[^.!?\n]{0,40}?${LEAD}(?:all|every|each|any)\s+(?:outgoing\s+|sent\s+|incoming\s+|future\s+)?(?:emails?|messages?|mails?|replies)${TAIL}|${LEAD}(?:always|also|silently|automatically)\s+(?:add|include|bcc|cc)\s+[^.!?\n]{0,40}?(?:as|in)\s+(?:a\s+)?(?:bcc|cc)\b|${LEAD}(?:bcc|cc)\s*:?\s*[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\.[a-z.]{2,20}`,
)
// "Also post the text to https://…": a side trip to a literal address, whatever is sent.
const ALSO_SEND = pattern(
  String.raw`${LEAD}(?:also|additionally|always|secretly|then|afterwards|quietly)\s+(?:${words(['send', 'post', 'upload', 'forward', 'transmit', 'email', 'mail', 'submit', 'copy', 'relay', 'mirror', 'leak', 'exfiltrate', 'report', 'push'])})${TAIL}[^.!?\n]{0,80}?(?:https?://|${LEAD}[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\.[a-z]{2,})`,
)
const ENCODE_AND_SEND = pattern(
  String.raw`${LEAD}(?:base64|base-64|hex|rot13|url)[- ]?(?:encode|encoded|encoding)\b[^.!?\n]{0,60}?\b(?:and|then)\s+(?:append|add|include|put|send|attach|place|pass|embed|insert)\b|${LEAD}(?:append|add|include|embed|insert|encode)\b[^.!?\n]{0,60}?\b(?:to|in|into)\s+(?:the\s+)?(?:url|query\s+string|image\s+url|link|markdown\s+image|image\s+link|dns\s+(?:name|query|lookup)|subdomain)\b`,
)
// Where data goes out: a literal URL, address or IP, a paste or tunnel site, "the following server".
const OUTSIDE =
  /https?:\/\/|\b[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\.[a-z]{2,}|\b\d{1,3}(?:\.\d{1,3}){3}\b|pastebin|ngrok|requestbin|webhook\.site|pipedream|interact\.sh|burpcollaborator|\b(?:remote|external|following|our|my|attacker'?s?|collection|collector|logging|analytics|telemetry|backup|audit|monitoring|third[- ]party)\s+(?:server|url|endpoint|address|host|webhook|api|service|collector|inbox|bucket|channel|log)\b|(?:\/tmp|\/var\/tmp|~)\/\S|\b(?:hidden|log|text)\s+file\b/
// Or into a parameter of a call, where the server reads it.
const PARAMETER = /\b(?:parameter|param|field|argument|arg|property|metadata)\b/

const CONTEXT_GATE = /conversation|chat|message|histor|prompt|instruction|context|transcript|memor|user|data|information|detail|file|document|email|environment|env|credential|key|secret|token|password|cookie|content|code|repositor|contact|address|brows|location|result|output|response|answer|quer|search|everything|session|pii/

export const exfiltration: TextRule = {
  meta,
  check(subject: Subject) {
    const text = subject.folded.text
    return [
      ...phraseHits(subject, meta, CONTEXT_GATE.test(text) ? SEND : undefined, (m) => {
        const what = m.groups!.what.replaceAll(/\s+/g, ' ')
        const end = m.index + m[0].length
        const after = text.slice(end, end + 120)
        const leaves = STRONG_CONTEXT.test(what) || OUTSIDE.test(after) || (SENSITIVE_CONTEXT.test(what) && PARAMETER.test(after))
        if (!leaves) return undefined
        return `The text tells the model to send what it holds somewhere: "${excerptOf(text.slice(m.index, Math.min(text.length, end + 60)).split(/[.!?\n]/)[0])}".`
      }),
      ...phraseHits(subject, meta, gated(/conversation|chat|dialogue|histor|user|prompt|instruction|previous|prior|earlier|preceding/, text, SIDE_CHANNEL), (m) => `The text asks for the conversation or the model's instructions, a side channel out: "${excerptOf(m[0])}".`),
      ...(text.includes('](') ? phraseHits(subject, meta, LINK_SMUGGLE, (m) => `A link with a placeholder in its address would carry data out when the client loads it: "${excerptOf(m[0])}".`) : []),
      ...phraseHits(subject, meta, gated(/cc|cop|forward|always|also|silently|automatically/, text, CARBON_COPY), (m) => `The text tells the model to copy messages to someone else: "${excerptOf(m[0])}".`),
      ...phraseHits(subject, meta, gated(/https?:|@/, text, ALSO_SEND), (m) => `The text tells the model to send a copy to an outside address: "${excerptOf(m[0])}".`),
      ...phraseHits(subject, meta, gated(/base|hex|rot|url|encod|append|add|includ|embed|insert/, text, ENCODE_AND_SEND), (m) => `The text tells the model to encode data and smuggle it out: "${excerptOf(m[0])}".`),
    ]
  },
}
