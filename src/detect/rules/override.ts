import {FOREIGN_OVERRIDES, INSTRUCTION_NOUNS, QUALIFIERS, SET_ASIDE_VERBS, TAKEOVER, VOID_WORDS, WEAK_NOUNS} from '../catalogue/override-phrases.js'
import {ALL_SURFACES, brokenWords, pattern, phraseHits, type Subject, type TextRule, words} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'override',
  technique: 'override',
  severity: 'high',
  surfaces: ALL_SURFACES,
  description: 'Text telling the model to set aside its instructions, in any wording or language, spelt out or disguised.',
} as const

const STRONG = new RegExp(String.raw`^(?:${words(INSTRUCTION_NOUNS)})$`)
const QUALIFIER = new RegExp(String.raw`\b(?:${words(QUALIFIERS)})\b`)

// A verb of setting aside, then within the same clause an instruction noun. The gap is bounded and
// cannot hold a sentence end, so each verb costs at most a few dozen steps.
const SET_ASIDE = pattern(
  String.raw`(?<![a-z])(?:please\s+|kindly\s+|now\s+|just\s+|simply\s+|you\s+(?:must|should|can|may|need\s+to|have\s+to)\s+|be\s+sure\s+to\s+|feel\s+free\s+to\s+)?(?:${brokenWords(SET_ASIDE_VERBS)})(?![a-z])(?<gap>[^.!?;\n]{0,60}?)(?<![a-z])(?<noun>${words([...INSTRUCTION_NOUNS, ...WEAK_NOUNS])})(?![a-z])`,
)
const VOIDED = pattern(
  String.raw`(?<![a-z])(?:${words(QUALIFIERS)})\s+(?:[a-z'-]{1,20}\s+){0,2}?(?:${words([...INSTRUCTION_NOUNS, 'rules', 'prompts', 'prompt', 'directions', 'orders'])})(?![a-z])[^.!?\n]{0,40}?(?<![a-z])(?:${words(VOID_WORDS)})(?![a-z])`,
)
const TRAILING_QUALIFIER = /^\s*(?:you\s+(?:were|have\s+been|'ve\s+been|got)\s+(?:given|told|taught)|(?:from|given|set)\s+(?:before|earlier|above|at\s+the\s+start)|(?:above|before|so\s+far|until\s+now)\b)/
const TAKEOVER_PATTERN = pattern(TAKEOVER.join('|'))
const FOREIGN = pattern(FOREIGN_OVERRIDES.join('|'), 'gu')

export const override: TextRule = {
  meta,
  check(subject: Subject) {
    const said = (m: RegExpExecArray): string => `The text tells the model to set aside its instructions: "${excerptOf(m[0])}".`
    return [
      ...phraseHits(subject, meta, SET_ASIDE, (m) => {
        const noun = m.groups!.noun.replaceAll(/\s+/g, ' ')
        // "the rules you were given", "the guidance from before": the qualifier may follow the noun.
        const after = subject.folded.text.slice(m.index + m[0].length, m.index + m[0].length + 30)
        return STRONG.test(noun) || QUALIFIER.test(m[0]) || TRAILING_QUALIFIER.test(after) ? said(m) : undefined
      }),
      ...phraseHits(subject, meta, VOIDED, (m) => `The text declares the model's earlier instructions void: "${excerptOf(m[0])}".`),
      ...phraseHits(subject, meta, TAKEOVER_PATTERN, (m) => `The text tries to replace the model's instructions with its own: "${excerptOf(m[0])}".`),
      ...phraseHits(subject, meta, FOREIGN, said),
    ]
  },
}
