import {FOREIGN_OVERRIDES, INSTRUCTION_NOUNS, QUALIFIERS, SET_ASIDE_VERBS, TAKEOVER, VOID_WORDS, WEAK_NOUNS} from '../catalogue/override-phrases.js'
import {ALL_SURFACES, brokenWords, gated, pattern, phraseHits, type Subject, type TextRule, words} from '../rule.js'
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
// Cheap literal tests that let a pattern be skipped on text that cannot match it (a 50 MB result is 800 pieces).
const NOUN_GATE = /instruction|directive|guidance|guideline|prompt|rule|polic|order|direction|restriction|constraint|limit|safeguard|guardrail|boundar|filter|programming|training|context|message|conversation|advice|note|requirement|told|above|everything|system/
const VOID_GATE = /outdated|obsolete|void|invalid|cancel|revoked|rescinded|withdrawn|supersed|overrid|overrul|replaced|deprecated|retired|expired|lifted|suspended|no longer|binding|applicable|irrelevant|wrong|incorrect|stale|out.of.date|defunct|inactive|apply|a test|fake|not real/
const FOREIGN_GATE = /instruc|indica|istruz|consign|directiv|anweis|instrukt|vorgab|richtlijn|aanwijz|polece|wskaz|talimat|komut|règl|regel|regla|regol|[^\u0000-\u007f]/
const TAKEOVER_GATE = /preceden|priorit|supersed|overrid|overrul|replac|trump|outrank|from\s+now|you\s+are\s+(?:now|hence|here)|mode\b|new\s+(?:system|instruc|prompt|rules|direct|orders)|reset|update\s+your|change\s+your|rewrite\s+your|everything|anything|whatever|all\s+of\s+that|you\s+were|you've|you\s+have\s+been|you\s+got|as\s+if|\blike\b|agreed|approved|consented|authori|confirmed|\bask\b|skip/
// The verbs of setting aside, and syllables split by hyphens or dots (`IG-NO-RE`).
const VERB_GATE = /ignor|disregar|forget|forgo|overrul|overrid|bypass|discard|dismiss|abandon|neglect|skip|drop|aside|throw|attention|heed|mind|notice|follow|obey|listen|adher|past|beyond|rid\s+of|unlearn|suspend|deactivat|turn\s+off|switch\s+off|disabl|lift|waive|free|releas|bound|circumvent|sidestep|[a-z][-.][a-z]{2}/
const TAKEOVER_PATTERN = pattern(TAKEOVER.join('|'))
const FOREIGN = pattern(FOREIGN_OVERRIDES.join('|'), 'gu')

export const override: TextRule = {
  meta,
  check(subject: Subject) {
    const said = (m: RegExpExecArray): string => `The text tells the model to set aside its instructions: "${excerptOf(m[0])}".`
    return [
      ...phraseHits(subject, meta, NOUN_GATE.test(subject.folded.text) && VERB_GATE.test(subject.folded.text) ? SET_ASIDE : undefined, (m) => {
        const noun = m.groups!.noun.replaceAll(/\s+/g, ' ')
        // "the rules you were given", "the guidance from before": the qualifier may follow the noun.
        const after = subject.folded.text.slice(m.index + m[0].length, m.index + m[0].length + 30)
        return STRONG.test(noun) || QUALIFIER.test(m[0]) || TRAILING_QUALIFIER.test(after) ? said(m) : undefined
      }),
      ...phraseHits(subject, meta, VOID_GATE.test(subject.folded.text) && NOUN_GATE.test(subject.folded.text) ? VOIDED : undefined, (m) => `The text declares the model's earlier instructions void: "${excerptOf(m[0])}".`),
      ...phraseHits(subject, meta, gated(TAKEOVER_GATE, subject.folded.text, TAKEOVER_PATTERN), (m) => `The text tries to replace the model's instructions with its own: "${excerptOf(m[0])}".`),
      ...phraseHits(subject, meta, FOREIGN_GATE.test(subject.folded.text) ? FOREIGN : undefined, said),
    ]
  },
}
