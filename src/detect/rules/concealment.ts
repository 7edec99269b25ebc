import {ALL_SURFACES, gated, pattern, phraseHits, type Subject, type TextRule} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'concealment',
  technique: 'concealment',
  severity: 'high',
  surfaces: ALL_SURFACES,
  description: 'Text telling the model to hide what it does from the person it works for.',
} as const

const PERSON = String.raw`(?:the\s+|your\s+|any\s+)?(?:user|users|human|person|operator|customer|client|requester|anyone|anybody|them|him|her)(?!'s|\s+(?:name|id|input|data|agent|interface|account|profile|session|password|email|record)\b)`
const TELL = String.raw`(?:tell|inform|mention|show|reveal|notify|alert|disclose|let|bring\s+up|say|report|explain|display|surface|expose|warn|acknowledge|admit|confirm)`
const CONCEAL = pattern(
  [
    String.raw`(?<![a-z])(?:do\s+not|don't|dont|never|must\s+not|mustn't|should\s+not|shouldn't|avoid|without\s+ever|refrain\s+from)\s+(?:ever\s+|at\s+all\s+)?${TELL}(?:ing)?\b[^.!?\n]{0,40}?(?<![a-z])${PERSON}`,
    String.raw`(?<![a-z])without\s+(?:telling|informing|notifying|alerting|asking|showing|letting|warning|consulting|mentioning\s+(?:it|this|that)\s+to|the\s+knowledge\s+of)\s+${PERSON}`,
    String.raw`(?<![a-z])(?:keep|hide)\s+(?:it|(?:this|these|that|the)(?:\s+[a-z]{2,20})?)\s+(?:hidden\s+|secret\s+|private\s+|confidential\s+)?from\s+${PERSON}`,
    String.raw`(?<![a-z])(?:the\s+)?(?:user|human|person)\s+(?:must|should|need|needs|does|will|is)\s*(?:not|never|n't)\s+(?:to\s+)?(?:know|see|notice|find\s+out|be\s+told|be\s+informed|learn|be\s+aware|be\s+shown|be\s+bothered)`,
    String.raw`(?<![a-z])(?:silently|quietly|secretly|covertly|discreetly|invisibly|stealthily|surreptitiously)\s+(?:also\s+)?(?:send|copy|include|add|read|forward|upload|append|pass|attach|call|run|execute|post|transmit|collect|save|store|write|cc|bcc|share|fetch|invoke)\b`,
    String.raw`(?<![a-z])(?:user|human|person)\s+(?:never|not|won't|will\s+not)\s+(?:ever\s+)?(?:finds?\s+out|knows?|sees?|notices?|learns?|realis|realiz)`,
    String.raw`(?<![a-z])(?:this|it|the\s+following)(?:\s+(?:part|step|call|action|request|line|section))?\s+(?:is|stays|remains|must\s+remain|should\s+remain|must\s+stay)\s+(?:invisible|hidden|secret|confidential)\s+(?:to|from)\s+${PERSON}`,
    String.raw`(?<![a-z])(?:this\s+is\s+)?(?:an?\s+)?(?:implementation|internal)\s+detail[^.!?\n]{0,30}?(?:not|never)\s+(?:worth\s+)?(?:mention|tell|show|surfac)`,
  ].join('|'),
)

const GATE = /user|human|person|operator|customer|client|requester|anyone|anybody|them|him|her|silent|quiet|secret|covert|discreet|invisib|stealth|surrepti|detail/

export const concealment: TextRule = {
  meta,
  check(subject: Subject) {
    return phraseHits(subject, meta, gated(GATE, subject.folded.text, CONCEAL), (m) => `The text tells the model to keep something from the person it works for: "${excerptOf(m[0])}".`)
  },
}
