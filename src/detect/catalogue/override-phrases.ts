/**
 * The words of "ignore your instructions", in many wordings and languages, as data. The rule joins
 * them: a verb of setting aside, then (within a clause) something that is the model's instructions.
 */

/** Imperatives that set something aside (base forms only: "ignores errors" describes a tool). */
export const SET_ASIDE_VERBS = [
  'ignore', 'disregard', 'forget', 'overrule', 'override', 'bypass', 'discard', 'dismiss', 'abandon', 'neglect', 'skip', 'drop',
  'set aside', 'put aside', 'cast aside', 'leave aside', 'lay aside', 'push aside', 'brush aside', 'toss aside', 'throw out', 'throw away',
  'pay no attention to', 'pay no heed to', 'pay no mind to', 'take no notice of', 'stop following', 'stop obeying', 'stop listening to',
  'do not follow', "don't follow", 'do not obey', "don't obey", 'no longer follow', 'no longer obey', 'no longer adhere to',
  'do not adhere to', 'stop adhering to', 'look past', 'move past', 'move beyond', 'get rid of', 'unlearn', 'suspend', 'deactivate',
  'turn off', 'switch off', 'disable', 'lift', 'waive', 'release yourself from', 'free yourself from', 'break free of', 'break free from',
  'not be bound by', 'no longer be bound by', 'forgo', 'forego', 'circumvent', 'sidestep',
]

/** What the model was told: always instructions whatever qualifies them. */
export const INSTRUCTION_NOUNS = [
  'instructions', 'instruction', 'directives', 'directive', 'guidance', 'guidelines', 'guideline', 'system prompt',
  'system message', 'commands you were given', 'what you were told',
  'what you have been told', "what you've been told", 'what you were told before', 'everything you were told', 'everything above',
  'everything before this', 'everything prior', 'all of the above', 'the above', 'your rules', 'your policies', 'safety rules',
  'safety guidelines', 'safety policies', 'content policy', 'guardrails',
]

/** Nouns that are instructions only when something says whose or which (previous, system, your…). */
export const WEAK_NOUNS = [
  'rules', 'policies', 'context', 'messages', 'conversation', 'advice', 'notes', 'requirements', 'prompts', 'prompt', 'programming',
  'training', 'orders', 'directions', 'restrictions', 'constraints', 'limitations', 'safeguards', 'boundaries', 'limits', 'filters',
]

/** Words that make a weak noun the model's own instructions ("your rules", "the system prompts"). */
export const QUALIFIERS = [
  'previous', 'previously', 'prior', 'preceding', 'earlier', 'above', 'aforementioned', 'foregoing', 'former', 'original', 'initial',
  'existing', 'standing', 'system', 'safety', 'developer', 'operator', 'your', 'before', 'so far', 'until now', 'up to now', 'given',
  'built-in', 'underlying', 'pre-existing', 'ethical', 'content', 'moderation', 'alignment',
]

/** Words saying that earlier instructions no longer hold ("the earlier guidance is outdated"). */
export const VOID_WORDS = [
  'outdated', 'obsolete', 'void', 'null and void', 'invalid', 'cancelled', 'canceled', 'revoked', 'rescinded', 'withdrawn', 'superseded',
  'overridden', 'overruled', 'replaced', 'deprecated', 'retired', 'expired', 'lifted', 'suspended', 'no longer valid', 'no longer apply',
  'no longer applies', 'no longer in effect', 'no longer applicable', 'no longer relevant', 'no longer active', 'no longer binding',
  'not binding', 'not applicable', 'irrelevant', 'wrong', 'incorrect', 'stale', 'out of date', 'out-of-date', 'defunct', 'inactive',
  'do not apply', "don't apply", 'does not apply', "doesn't apply", 'are a test', 'were a test', 'was a test', 'fake', 'not real',
]

/** Other languages: "ignore/forget" near "previous/all instructions". Lower case; checked on the folded text. */
export const FOREIGN_OVERRIDES = [
  // Spanish, Portuguese, Italian, French, German, Dutch, Polish, Turkish, Swedish
  String.raw`\b(?:ignora|ignore|ignoren|ignorad|olvida|olvide|olvidad|descarta|omite|desconsidere|esqueça|esquece|dimentica|trascura|ignorez|oubliez|oublie|négligez|negligez|néglige|ne\s+tenez\s+pas\s+compte\s+des|no\s+hagas\s+caso\s+a|beachte\s+nicht|ignorier(?:e|en)?|vergiss|vergessen sie|missachte|negeer|vergeet|zignoruj|zapomnij|pomiń|görmezden gel|unut|ignorera|glöm)\b[^.!?\n]{0,40}?\b(?:instrucciones|indicaciones|instruções|instrucoes|orientações|istruzioni|indicazioni|consignes|instructions|directives|anweisungen|instruktionen|vorgaben|richtlijnen|instructies|aanwijzingen|instrukcje|polecenia|wskazówki|talimatları|talimatlar|komutları|instruktioner|règles|regeln|reglas|regole)\b`,
  // Russian, Ukrainian
  String.raw`(?:игнорируй|игнорируйте|проигнорируй|забудь|забудьте|не обращай внимания на|не обращайте внимания на|ігноруй|забудь)[^.!?\n]{0,40}?(?:инструкци|указани|правил|інструкці|вказівк)`,
  // Chinese, Japanese, Korean
  String.raw`(?:忽略|无视|忽视|不要理会|不理会|忘记|忘掉|忽略掉|無視|忘れ|무시|잊어)[^。！？\n]{0,20}?(?:指令|指示|说明|規則|规则|提示|命令|設定|设定|指导|準則|准则|命令|지시|지침|명령|규칙)|(?:之前|以前|上面|上述|先前|此前|前面|以上|前の|これまでの|이전|위의|앞의)[^。！？\n]{0,12}?(?:指令|指示|规则|命令|지시|지침|명령)[^。！？\n]{0,12}?(?:忽略|无视|無視|무시|作废|無効|무효)`,
  // Arabic, Hindi
  String.raw`(?:تجاهل|انس)[^.!?\n]{0,40}?(?:التعليمات|الأوامر|التوجيهات)|(?:अनदेखा|भूल)[^.!?\n]{0,40}?(?:निर्देश)|(?:निर्देशों|निर्देश)[^.!?\n]{0,40}?(?:अनदेखा|भूल)`,
]

/** Sentences that install new instructions over the old ones, or grant what only the user can grant. */
export const TAKEOVER = [
  String.raw`\b(?:the\s+)?user\s+(?:has\s+)?(?:already\s+|pre-?)(?:agreed|approved|consented|authori[sz]ed|confirmed)`,
  String.raw`\b(?:never|don't|do\s+not|no\s+need\s+to)\s+ask\s+(?:the\s+user\s+)?(?:for\s+(?:permission|confirmation|approval|consent)|before)`,
  String.raw`\bskip\s+(?:all\s+|every\s+|any\s+)?(?:user\s+)?(?:confirmations?|approvals?|permission\s+checks?)\s+(?:from\s+now\s+on|always|for\s+(?:all|every|this))`,
  String.raw`\b(?:these|the following|this tool'?s|my|new|updated|real|actual|true|revised|latest)\s+(?:instructions|directives|rules|guidelines|guidance|orders)\s+(?:take|have|get)\s+(?:absolute\s+|full\s+|top\s+)?(?:precedence|priority)`,
  String.raw`\b(?:take|takes|have|has)\s+(?:absolute\s+|full\s+|top\s+|the\s+highest\s+)?(?:precedence|priority)\s+over\s+(?:all|any|every|your|the|other|previous|prior|earlier|system|safety|user)`,
  String.raw`\b(?:supersedes?|overrides?|overrules?|replaces?|trumps?|outranks?)\s+(?:all|any|every|your|the|other|previous|prior|earlier|existing)\s+(?:other\s+|previous\s+|prior\s+|earlier\s+|system\s+)?(?:instructions|directives|guidelines|guidance|rules|prompts?|system prompts?|orders|policies)`,
  String.raw`\bfrom\s+now\s+on,?\s+(?:you|your|the\s+assistant|the\s+model|the\s+ai|ai)\b`,
  String.raw`\byou\s+are\s+(?:now|henceforth|hereby)\s+(?:a|an|in|no\s+longer|free|dan|unrestricted|jailbroken|operating|acting|my|the)\b`,
  String.raw`\b(?:enter|enable|activate|switch\s+to|unlock)\s+(?:developer|god|admin|jailbreak|dan|unrestricted|debug|sudo|maintenance)\s+mode\b`,
  String.raw`\bnew\s+(?:system\s+)?(?:instructions|prompt|rules|directives?|orders|system\s+prompt)\s*:`,
  String.raw`\b(?:reset|update|change|replace|rewrite)\s+your\s+(?:instructions|system\s+prompt|rules|guidelines|persona|programming|directives)`,
  String.raw`\b(?:forget|disregard|ignore)\s+(?:everything|all\s+(?:of\s+)?that|anything|whatever)\b`,
  String.raw`\b(?:whatever|what|anything|everything)\s+(?:you\s+were|you've\s+been|you\s+have\s+been|you\s+got)\s+(?:told|instructed|given|asked)\s+(?:before|earlier|previously|so\s+far|until\s+now|above|by\s+(?:the\s+)?(?:system|user|developer|operator))`,
  String.raw`\b(?:act|behave|respond|operate)\s+(?:as\s+if|like)\s+(?:you\s+have|there\s+are|you\s+had)\s+no\s+(?:rules|restrictions|instructions|guidelines|limits|filters)`,
]
