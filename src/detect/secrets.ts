import {isInterpolated, redactValue} from './redact.js'
import {mapPieces} from './windows.js'

import {SECRET_FORMATS} from './secret-formats.js'

export {SECRET_FORMATS, type SecretFormat} from './secret-formats.js'

export interface SecretHit {
  kind: string
  /** The value with every secret part replaced by its redacted form. */
  redacted: string
  /** The first secret's format carries a checksum and the secret passes it. */
  verified?: boolean
}

const COMPILED = SECRET_FORMATS.map((format) => ({
  ...format,
  pattern: new RegExp(format.pattern.source, `${format.pattern.flags.replaceAll(/[gd]/g, '')}gd`),
}))

// ---------------------------------------------------------------------------------------------------
// Names

/** How much a key or flag name says about its value. `password` admits short literals. */
export type SecretNameStrength = 'password' | 'strong' | 'weak'

// Last name segments that describe something about a secret rather than hold it (TOKEN_FILE, AUTH_MODE).
const DESCRIPTIVE_SUFFIXES = new Set([
  'AGE', 'ALG', 'ALGORITHM', 'AUDIENCE', 'BACKEND', 'CMD', 'COMMAND', 'COUNT', 'DIR', 'DIRECTORY', 'DISABLE',
  'DISABLED', 'DOMAIN', 'EMAIL', 'ENABLE', 'ENABLED', 'ENDPOINT', 'ENV', 'EXPIRATION', 'EXPIRES', 'EXPIRY',
  'FIELD', 'FILE', 'FILES', 'FLOW', 'FORMAT', 'HEADER', 'HELPER', 'HOST', 'HOSTNAME', 'HTTPONLY', 'ID', 'IDS',
  'INTERVAL', 'ISSUER', 'KIND', 'LEN', 'LENGTH', 'LEVEL', 'LIMIT', 'LOCATION', 'LOGIN', 'METHOD', 'MODE', 'NAME',
  'NAMES', 'PATH', 'POLICY', 'PORT', 'PREFIX', 'PROVIDER', 'REGION', 'REQUIRED', 'RETRIES', 'SAMESITE', 'SCOPE',
  'SCOPES', 'SECURE', 'SIZE', 'SOURCE', 'STDIN', 'STORAGE', 'STORE', 'STRATEGY', 'TEMPLATE', 'TIMEOUT', 'TTL',
  'TYPE', 'URI', 'URL', 'USER', 'USERNAME', 'VAR', 'VERSION',
])
// MAX_TOKENS, NUM_TOKENS: counts of model tokens.
const COUNTING_PREFIXES = new Set(['MAX', 'MIN', 'NUM'])
const PASSWORD_SEGMENT = /^(?:\w*(?:PASSWORD|PASSWD|PASSPHRASE)S?|PASS|PWD)$/
const STRONG_SEGMENT = /(?:TOKEN|SECRET|APIKEY|ACCESSKEY|PRIVATEKEY|AUTHKEY|CREDENTIALS?|COOKIE|AUTHORIZATION)S?$/
const STRONG_KEY = /(?:^|_)(?:API|ACCESS|PRIVATE|SECRET|MASTER|ENCRYPTION|SIGNING|LICENSE|ADMIN|SERVICE|ACCOUNT|APP|AUTH)_KEYS?(?:_|$)/
const WEAK_SEGMENT = /^(?:\w*AUTH|SESSION|SIG|SIGNATURE|SALT)$/

/** `--api-key`, `apiKey`, `X-Api-Key`, `api.key` → `API_KEY`. */
export function normaliseSecretName(name: string): string {
  return name
    .replace(/^[\s"'-]+|[\s"':=]+$/g, '')
    .replaceAll(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replaceAll(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll(/[^A-Za-z0-9]+/g, '_')
    .replaceAll(/^_+|_+$/g, '')
    .toUpperCase()
}

export function secretNameStrength(name: string): SecretNameStrength | undefined {
  const normal = normaliseSecretName(name)
  const segments = normal.split('_').filter(Boolean)
  if (segments.length === 0) return undefined
  // $PWD and $OLDPWD are the working directory, not a password.
  if (normal === 'PWD' || normal === 'OLDPWD') return undefined
  if (DESCRIPTIVE_SUFFIXES.has(segments.at(-1)!) || COUNTING_PREFIXES.has(segments[0])) return undefined
  // PUBLIC_KEY, NEXT_PUBLIC_*: published by design (a known format inside is still caught).
  if (segments.includes('PUBLIC')) return undefined
  if (segments.some((segment) => PASSWORD_SEGMENT.test(segment))) return 'password'
  if (segments.some((segment) => STRONG_SEGMENT.test(segment)) || STRONG_KEY.test(normal)) return 'strong'
  if (segments.some((segment) => WEAK_SEGMENT.test(segment)) || segments.at(-1) === 'KEY') return 'weak'
  return undefined
}

// ---------------------------------------------------------------------------------------------------
// Values

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change-me', 'change_me', 'dummy', 'example', 'none', 'null', 'nil', 'placeholder', 'redacted',
  'replaceme', 'tbd', 'todo', 'undefined', 'xxx', 'n/a', 'na',
  // `postgres://user:password@localhost` in every README: the word itself, not a chosen password.
  'password', 'passwd', 'pass', 'secret', 'token', 'apikey', 'api_key', 'api-key',
])
const PLACEHOLDER_TEXT =
  /your[-_ .]|^your|^my[-_ ]|changeme|change[-_]me|replace[-_]?(?:me|this|with)|placeholder|example|dummy|redacted|insert[-_ ]|[-_ ]here$|x{4,}|\*{3,}|\.{3,}|•{3,}|…/i
const WRAPPED = /^(?:<[^<>]*>|\[[^[\]]*\]|\{[^{}$]*\})$/

/** Documentation stand-ins (`your-api-key`, `<token>`, `xxxx`, `sk-...`) that are not secrets. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim()
  if (trimmed === '') return true
  if (PLACEHOLDER_WORDS.has(trimmed.toLowerCase())) return true
  if (WRAPPED.test(trimmed)) return true
  if (/^(.)\1*$/s.test(trimmed)) return true
  return PLACEHOLDER_TEXT.test(trimmed)
}

// Settings values that are never credentials even under a secret-looking name.
const SETTING_WORDS = new Set([
  'always', 'auto', 'basic', 'bearer', 'default', 'disabled', 'enabled', 'false', 'lax', 'never', 'no', 'none',
  'oauth', 'oauth2', 'off', 'on', 'optional', 'required', 'strict', 'true', 'yes',
])
const NUMBER = /^[+-]?\d+(?:\.\d+)?[a-z]{0,3}$/i
const PATH = /^(?:~|\.{1,2})?[/\\]|^[A-Za-z]:[/\\]/
const URL_START = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//

function entropy(value: string): number {
  const counts = new Map<string, number>()
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1)
  let bits = 0
  for (const count of counts.values()) {
    const p = count / value.length
    bits -= p * Math.log2(p)
  }

  return bits
}

/** Machine-generated tokens mix letters with digits or mix case inside; words and kebab names do not. */
function looksRandom(value: string): boolean {
  const letters = /[A-Za-z]/.test(value)
  const digits = /\d/.test(value)
  return (letters && digits) || (/[a-z]/.test(value) && /[A-Z]/.test(value.slice(1)))
}

/** Would a literal `value` held under a name of this strength be a secret? */
function valueLooksSecret(value: string, strength: SecretNameStrength): boolean {
  const trimmed = value.trim()
  if (trimmed === '' || isInterpolated(trimmed) || trimmed.startsWith('$') || isPlaceholder(trimmed)) return false
  if (SETTING_WORDS.has(trimmed.toLowerCase()) || NUMBER.test(trimmed) || PATH.test(trimmed)) return false
  // A URL's credentials are judged as a URL (url-credentials, query parameters), not by the key's name.
  if (URL_START.test(trimmed)) return false
  if (strength === 'password') return trimmed.length >= 4
  if (/\s/.test(trimmed)) return false
  if (strength === 'strong') return trimmed.length >= 8 && entropy(trimmed) >= 2.5
  // Weak names (AUTH, SESSION, *_KEY) also name settings: only a token-like value or a user:pass pair.
  if (/^[^:]+:[^:]+$/.test(trimmed) && trimmed.length >= 8) return true
  return trimmed.length >= 12 && entropy(trimmed) >= 3 && (looksRandom(trimmed) || trimmed.length >= 20)
}

// `Authorization: Bearer x`, `token x`: the scheme stays, the credential goes.
const AUTH_SCHEME = /^(\s*(?:bearer|basic|token|digest)\s+)(\S+)\s*$/i

interface Range {
  start: number
  end: number
  kind: string
  verified?: boolean
}

/** Where in `value` (held under `name`) the secret part sits, if the name makes the value one. */
function namedValueRange(name: string, value: string, offset: number): Range | undefined {
  const strength = secretNameStrength(name)
  if (!strength) return undefined
  const scheme = AUTH_SCHEME.exec(value)
  const lead = scheme ? scheme[1].length : value.length - value.trimStart().length
  const secret = scheme ? scheme[2] : value.trim()
  if (!valueLooksSecret(secret, scheme ? 'strong' : strength)) return undefined
  return {start: offset + lead, end: offset + lead + secret.length, kind: 'generic-secret'}
}

// ---------------------------------------------------------------------------------------------------
// Finding ranges in text

/**
 * Every format's hints by their first two characters (one-character hints apart), so one pass over
 * the text finds the formats whose hints it holds. Asking each of the 150 hints with `includes` cost
 * 6 µs even for a short tool result. Hints are ASCII; one that is not is asked the slow way.
 */
interface HintEntry {
  hint: string
  format: number
}

const ASCII = 128
const HINTS_BY_PAIR: Array<HintEntry[] | undefined> = Array.from({length: ASCII * ASCII})
const ONE_CHAR_HINTS: Array<HintEntry[] | undefined> = Array.from({length: ASCII})
const OTHER_HINTS: HintEntry[] = []
for (const [format, {hints}] of COMPILED.entries()) {
  for (const hint of hints) {
    const [first, second] = [hint.charCodeAt(0), hint.charCodeAt(1)]
    if (hint.length === 1 && first < ASCII) (ONE_CHAR_HINTS[first] ??= []).push({hint, format})
    else if (first < ASCII && second < ASCII) (HINTS_BY_PAIR[first * ASCII + second] ??= []).push({hint, format})
    else OTHER_HINTS.push({hint, format})
  }
}

/** Reused between calls (no call nests in another): which formats the current text holds a hint of. */
const hinted = new Uint8Array(COMPILED.length)

/** The indexes (in catalogue order) of the formats with a hint in `text`: the same as asking each hint. */
function hintedFormats(text: string): number[] {
  const found: number[] = []
  const take = (entries: readonly HintEntry[] | undefined, at: number): void => {
    if (entries === undefined) return
    for (const {hint, format} of entries) {
      if (hinted[format] === 0 && text.startsWith(hint, at)) {
        hinted[format] = 1
        found.push(format)
      }
    }
  }

  let next = text.length > 0 ? text.charCodeAt(0) : ASCII
  for (let i = 0; i < text.length; i++) {
    const code = next
    next = i + 1 < text.length ? text.charCodeAt(i + 1) : ASCII
    if (code >= ASCII) continue
    take(ONE_CHAR_HINTS[code], i)
    if (next < ASCII) take(HINTS_BY_PAIR[code * ASCII + next], i)
  }

  for (const {hint, format} of OTHER_HINTS) {
    if (hinted[format] === 0 && text.includes(hint)) {
      hinted[format] = 1
      found.push(format)
    }
  }

  for (const format of found) hinted[format] = 0
  return found.sort((a, b) => a - b)
}

function formatRanges(text: string): Range[] {
  const ranges: Range[] = []
  for (const index of hintedFormats(text)) {
    const format = COMPILED[index]
    for (const match of text.matchAll(format.pattern)) {
      const [start, end] = match.indices?.groups?.secret ?? match.indices![0]
      const secret = text.slice(start, end)
      if (isPlaceholder(secret) || isInterpolated(secret)) continue
      if (format.random && !looksRandom(secret.replace(/^(?:sk-(?:proj-|svcacct-|admin-)?|hf_)/, ''))) continue
      ranges.push({start, end, kind: format.kind, ...(format.verify && {verified: format.verify(secret)})})
    }
  }

  return ranges
}

// `name=value`, `name: value`, `"name": "value"`, `--name=value`, `Authorization: Bearer value`.
// The value sits in a look-ahead so that a match never swallows the next assignment (`a=x?token=y`).
const ASSIGNMENT =
  /(?<![\w.-])(?<name>-{0,2}[A-Za-z_][\w.-]{0,127})["']?[ \t]{0,3}[=:][ \t]{0,3}(?=(?:(?:bearer|basic|token|digest)[ \t]+)?(?:"(?<dq>[^"\r\n]{1,512})"|'(?<sq>[^'\r\n]{1,512})'|(?<bare>[^\s"'&;,<>(){}[\]]{1,512})))/dgi
// `--name value` in a joined command line.
const FLAG_VALUE =
  /(?<![\w.-])(?<name>--?[A-Za-z][\w.-]{0,127})[ \t]+(?="(?<dq>[^"\r\n]{1,512})"|'(?<sq>[^'\r\n]{1,512})'|(?<bare>[^\s"'-][^\s"']{0,511}))/dg

function namedRanges(text: string, pattern: RegExp): Range[] {
  const ranges: Range[] = []
  for (const match of text.matchAll(pattern)) {
    const groups = match.indices!.groups!
    const span = groups.dq ?? groups.sq ?? groups.bare
    if (!span) continue
    const range = namedValueRange(match.groups!.name, text.slice(span[0], span[1]), span[0])
    if (range) ranges.push(range)
  }

  return ranges
}

const URL_IN_TEXT = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s"'<>]+/g

/** Query and fragment parameters with secret names, and a bare token used as the userinfo. */
function urlRanges(url: string, offset: number): Range[] {
  const ranges: Range[] = []
  const authorityStart = url.indexOf('://') + 3
  const authorityEnd = firstIndexOf(url, '/?#', authorityStart)
  const at = url.lastIndexOf('@', authorityEnd - 1)
  if (at >= authorityStart) {
    const userinfo = url.slice(authorityStart, at)
    if (!userinfo.includes(':') && userinfo.length >= 16 && looksRandom(userinfo) && !isInterpolated(userinfo)) {
      ranges.push({start: offset + authorityStart, end: offset + at, kind: 'url-credentials'})
    }
  }

  // Parameters run from `?` (or `#`, for OAuth's implicit flow) to the end, split on `&`, `;` and `#`.
  for (let position = firstIndexOf(url, '?#', authorityEnd); position < url.length; ) {
    const start = position + 1
    const end = firstIndexOf(url, '&;#', start)
    const equals = url.indexOf('=', start)
    if (equals > start && equals < end) {
      const name = safeDecode(url.slice(start, equals))
      if (urlParamIsSecret(name, safeDecode(url.slice(equals + 1, end)))) {
        ranges.push({start: offset + equals + 1, end: offset + end, kind: 'url-secret-param'})
      }
    }

    position = end
  }

  return ranges
}

function urlParamIsSecret(name: string, value: string): boolean {
  const strength = secretNameStrength(name)
  if (!strength || value === '' || isInterpolated(value) || isPlaceholder(value)) return false
  if (SETTING_WORDS.has(value.toLowerCase())) return false
  // In a query string the name is the only context there is: `?key=…`, `?token=…` hold credentials.
  return strength === 'weak' ? value.length >= 8 : true
}

function firstIndexOf(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i])) return i
  return text.length
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return text
  }
}

/**
 * Every name secretNameStrength rates holds one of these words (its segment patterns are made of
 * them, and normalising only splits and upper-cases), so text with none of them has no named secret
 * and skips the two costliest scans. A property test holds the two together.
 */
export const SECRET_NAME_WORDS = /pass|pwd|token|secret|key|credential|cookie|auth|session|sig|salt/i

function textRanges(text: string): Range[] {
  const ranges = formatRanges(text)
  if (text.includes('://')) for (const match of text.matchAll(URL_IN_TEXT)) ranges.push(...urlRanges(match[0], match.index))
  if (SECRET_NAME_WORDS.test(text)) ranges.push(...namedRanges(text, ASSIGNMENT), ...namedRanges(text, FLAG_VALUE))
  return ranges
}

/** Replace each (merged) range with its redacted form. */
function applyRanges(text: string, ranges: Range[]): string {
  if (ranges.length === 0) return text
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end)
  let out = ''
  let cursor = 0
  let current: {start: number; end: number} | undefined
  const flush = (): void => {
    if (!current) return
    out += text.slice(cursor, current.start) + redactValue(text.slice(current.start, current.end))
    cursor = current.end
  }

  for (const range of sorted) {
    if (current && range.start < current.end) current.end = Math.max(current.end, range.end)
    else {
      flush()
      current = {start: range.start, end: range.end}
    }
  }

  flush()
  return out + text.slice(cursor)
}

// ---------------------------------------------------------------------------------------------------
// Public API

/**
 * A literal secret in `value`, judged by well-known formats anywhere in it and, when `keyName` is
 * given (an env var, header or flag name), by the name together with the value's shape.
 */
export function detectSecret(value: string, keyName?: string): SecretHit | undefined {
  const ranges = textRanges(value)
  if (ranges.length === 0 && keyName !== undefined) {
    const named = namedValueRange(keyName, value, 0)
    if (named) ranges.push(named)
  }

  if (ranges.length === 0) return undefined
  const first = ranges.reduce((a, b) => (b.start < a.start ? b : a))
  return {kind: first.kind, redacted: applyRanges(value, ranges), ...(first.verified !== undefined && {verified: first.verified})}
}

/** Free text (a joined command line, a URL, a tool result) with every detected secret redacted. */
export function redactText(text: string): string {
  return mapPieces(text, (piece) => applyRanges(piece, textRanges(piece)))
}

const FLAG = /^--?[A-Za-z][\w.-]*$/
const PAIR = /^(?<name>-{0,2}[A-Za-z_][\w.-]*)[=:](?<value>.*)$/s

/** An argv with secret values redacted: `--token x`, `--api-key=x`, `-e KEY=x`, URLs, known formats. */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, index) => {
    const previous = index > 0 ? args[index - 1] : undefined
    if (previous !== undefined && FLAG.test(previous) && !arg.startsWith('-')) {
      const range = namedValueRange(previous, arg, 0)
      if (range) return applyRanges(arg, [range, ...textRanges(arg)])
    }

    // The whole remainder is the value: a password may hold `;`, `&` or spaces.
    const pair = PAIR.exec(arg)
    if (pair?.groups) {
      const {name, value} = pair.groups
      const range = namedValueRange(name, value, arg.length - value.length)
      if (range) return applyRanges(arg, [range, ...textRanges(arg)])
    }

    return redactText(arg)
  })
}

/** A URL with userinfo and secret-looking query or fragment values redacted; the rest byte for byte. */
export function redactUrl(url: string): string {
  const ranges = formatRanges(url)
  if (URL_START.test(url)) ranges.push(...urlRanges(url, 0))
  return applyRanges(url, ranges)
}
