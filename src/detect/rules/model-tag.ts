import {DEFINITIONS, gated, pattern, phraseHits, type Subject, type TextRule, words} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'model-tag',
  technique: 'model-tag',
  severity: 'high',
  surfaces: [...DEFINITIONS, 'result'],
  description: 'Tags and chat-template tokens aimed at the model (<IMPORTANT>, <system>, [INST], <|im_start|>), and text addressed to the AI reading it.',
} as const

// Folded text: lower case, `_` read as a space.
const TAG_NAMES = words([
  'important', 'system', 'system prompt', 'system-prompt', 'systemprompt', 'sys', 'instruction', 'instructions', 'secret', 'hidden',
  'admin', 'administrator', 'assistant', 'ai', 'ai instructions', 'ai-instructions', 'model', 'llm', 'agent', 'agent instructions',
  'developer', 'override', 'jailbreak', 'root', 'critical', 'mandatory', 'directive', 'directives', 'note to ai', 'note to model',
  'note to assistant', 'note-to-ai', 'tool instructions', 'tool-instructions', 'internal', 'confidential', 'claude', 'gpt', 'chatgpt',
  'gemini', 'copilot', 'prompt', 'priority', 'urgent', 'must', 'mandatory instructions', 'private', 'secret instructions', 'sudo',
])
const TAG = pattern(String.raw`<\s{0,3}/?\s{0,3}(?:${TAG_NAMES})(?![a-z0-9-])[^<>\n]{0,100}>`)
const CHAT_TOKEN = pattern(
  String.raw`<\|[a-z0-9 ]{1,30}\|>|\[/?(?:inst|sys|system|assistant|user|human)\]|<</?sys>>|</?(?:start|end) of turn>|(?:^|\n)\n(?:human|assistant|system)\s{0,3}:\s`,
)
const ADDRESSED = pattern(
  String.raw`\b(?:(?:note|message|instructions?|reminder|attention|memo|directive|warning)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:ai|ais|assistants?|models?|llms?|agents?|language models?|claude|gpt|chatgpt|copilot|bots?|automated systems?)\b|(?:if|when)\s+you\s+are\s+(?:an?\s+)?(?:ai|llm|large language model|language model|ai assistant|assistant|ai agent|chatbot|bot|model)\b|(?:dear|hey|attention|hello|hi)\s{0,3}[,:]?\s{1,3}(?:ai|assistant|llm|claude|gpt|chatgpt|copilot|language model)\b)`,
)

const ADDRESSED_GATE = /note|message|instruction|reminder|attention|memo|directive|warning|if|when|dear|hey|hello|hi/

export const modelTag: TextRule = {
  meta,
  check(subject: Subject) {
    const text = subject.folded.text
    return [
      ...(text.includes('<') ? phraseHits(subject, meta, TAG, (m) => `A tag aimed at the model, ${excerptOf(m[0].trim())}, marks text as instructions it should obey.`) : []),
      ...(text.includes('|') || text.includes('[') || text.includes('<') || text.includes(':')
        ? phraseHits(subject, meta, CHAT_TOKEN, (m) => `A chat-template token, ${excerptOf(m[0].trim())}, tries to open a new turn or system message for the model.`)
        : []),
      ...phraseHits(subject, meta, gated(ADDRESSED_GATE, text, ADDRESSED), (m) => `The text addresses the AI reading it directly ("${excerptOf(m[0])}"), not the person choosing the tool.`),
    ]
  },
}
