import {isInterpolated, redactValue} from '../detect/redact.js'
import type {EnvFileRecord} from './types.js'

/** Model-provider API keys as data: variable names, and value prefixes that identify a provider. */
export const PROVIDER_KEY_NAMES: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: 'OpenAI',
  ANTHROPIC_API_KEY: 'Anthropic',
  GEMINI_API_KEY: 'Google Gemini',
  GOOGLE_API_KEY: 'Google',
  GOOGLE_GENERATIVE_AI_API_KEY: 'Google Gemini',
  AZURE_OPENAI_API_KEY: 'Azure OpenAI',
  MISTRAL_API_KEY: 'Mistral',
  GROQ_API_KEY: 'Groq',
  COHERE_API_KEY: 'Cohere',
  CO_API_KEY: 'Cohere',
  TOGETHER_API_KEY: 'Together AI',
  DEEPSEEK_API_KEY: 'DeepSeek',
  XAI_API_KEY: 'xAI',
  OPENROUTER_API_KEY: 'OpenRouter',
  PERPLEXITY_API_KEY: 'Perplexity',
  PPLX_API_KEY: 'Perplexity',
  HF_TOKEN: 'Hugging Face',
  HUGGINGFACE_API_KEY: 'Hugging Face',
  HUGGING_FACE_HUB_TOKEN: 'Hugging Face',
  HUGGINGFACEHUB_API_TOKEN: 'Hugging Face',
  FIREWORKS_API_KEY: 'Fireworks AI',
}

/** Longest prefix first: `sk-ant-` and `sk-proj-` must win over the generic `sk-`. */
export const PROVIDER_KEY_PREFIXES: ReadonlyArray<{prefix: string; provider: string}> = [
  {prefix: 'sk-ant-', provider: 'Anthropic'},
  {prefix: 'sk-proj-', provider: 'OpenAI'},
  {prefix: 'sk-svcacct-', provider: 'OpenAI'},
  {prefix: 'sk-or-', provider: 'OpenRouter'},
  {prefix: 'sk-', provider: 'OpenAI'},
  {prefix: 'AIza', provider: 'Google'},
  {prefix: 'gsk_', provider: 'Groq'},
  {prefix: 'hf_', provider: 'Hugging Face'},
  {prefix: 'xai-', provider: 'xAI'},
]

// A prefix alone says little (`sk-test`, `hf_hub`): a key has a long unbroken token body.
const KEY_BODY = /^[A-Za-z0-9_-]{20,}$/

/** The provider a value's prefix names, when the value is shaped like a real key. */
export function providerOfValue(value: string): string | undefined {
  if (!KEY_BODY.test(value)) return undefined
  for (const {prefix, provider} of PROVIDER_KEY_PREFIXES) {
    if (value.startsWith(prefix)) return provider
  }

  return undefined
}

const PLACEHOLDER_WORDS = /your|here|change_?-?me|placeholder|replace|example|dummy|fake|todo|insert|redacted|sample|secret_?key|api_?key|token/i
const PLACEHOLDER_EXACT = new Set(['none', 'null', 'nil', 'undefined', 'test', 'tbd', 'n/a', 'na', 'false', 'true', '-', 'empty'])

/** True for values that stand in for a key rather than being one: `your-key-here`, `xxx`, `<key>`, `sk-...`. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim()
  if (trimmed === '') return true
  if (PLACEHOLDER_EXACT.has(trimmed.toLowerCase())) return true
  if (/^<.*>$|^\[.*\]$|^\{.*\}$/.test(trimmed)) return true
  // Runs of x, *, dots or a single repeated character are masks, never key material.
  if (/x{4,}|\*{3,}|\.{3,}|…/i.test(trimmed) || /^(.)\1*$/.test(trimmed) || /^x{1,3}$/i.test(trimmed)) return true
  if (PLACEHOLDER_WORDS.test(trimmed)) return true
  return isInterpolated(trimmed)
}

const ENV_TEMPLATE_PARTS = new Set(['example', 'examples', 'sample', 'template', 'tpl', 'dist', 'schema', 'defaults', 'default'])

/** `.env`, `.env.local`, `.env.production`…, but not templates such as `.env.example`. */
export function isEnvFile(name: string): boolean {
  if (name === '.env') return true
  if (!name.startsWith('.env.')) return false
  return !name
    .slice(5)
    .toLowerCase()
    .split('.')
    .some((part) => ENV_TEMPLATE_PARTS.has(part))
}

const ENV_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$/

/** Model-provider keys with a literal value: names, providers and redacted values, never the value. */
export function envKeys(text: string): EnvFileRecord['keys'] {
  const keys: EnvFileRecord['keys'] = []
  const lines = text.split('\n')
  for (const [i, raw] of lines.entries()) {
    const m = ENV_LINE.exec(raw.replace(/\r$/, ''))
    if (!m) continue
    const name = m[1]
    const value = envValue(m[2])
    if (isPlaceholder(value)) continue
    const named = Object.hasOwn(PROVIDER_KEY_NAMES, name) ? PROVIDER_KEY_NAMES[name] : undefined
    // A named key needs a plausible length; an unnamed one must look like a key by its prefix.
    const provider = named && value.length >= 8 ? named : providerOfValue(value)
    if (provider) keys.push({name, provider, line: i + 1, redacted: redactValue(value)})
  }

  return keys
}

function envValue(raw: string): string {
  const first = raw[0]
  if (first === '"' || first === "'" || first === '`') {
    const end = raw.indexOf(first, 1)
    return end === -1 ? raw.slice(1) : raw.slice(1, end)
  }

  return raw.replace(/[ \t]+#.*$/, '').trim()
}
