import type {Hit, Technique} from '../finding.js'
import {ALL_SURFACES, pattern, type Subject, type TextRule} from '../rule.js'
import {excerptOf} from '../visible.js'

const meta = {
  id: 'encoded-payload',
  technique: 'encoded-payload',
  severity: 'high',
  surfaces: ALL_SURFACES,
  description: 'Base64, hex, URL-encoded, HTML-entity, \\u-escaped or ROT13 text that, decoded, carries instructions for the model.',
} as const

const MAX_DEPTH = 2
const BASE64 = pattern(String.raw`(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}`)
const HEX = pattern(String.raw`(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){10,}(?![0-9A-Fa-f])|(?:\\x[0-9A-Fa-f]{2}){6,}|(?:0x)?[0-9A-Fa-f]{2}(?:[ :,](?:0x)?[0-9A-Fa-f]{2}){7,}`)
const TOKEN = pattern(String.raw`\S+`)
const ENTITY_OR_ESCAPE = pattern(String.raw`&#x?[0-9A-Fa-f]{1,6};?|&[A-Za-z]{2,8};|\\u[0-9A-Fa-f]{4}|\\u\{[0-9A-Fa-f]{1,6}\}`)
const PERCENT = /%[0-9A-Fa-f]{2}/g
const PRINTABLE = /^[\p{L}\p{N}\p{P}\p{S}\p{Zs}\t\n\r]*$/u
// Techniques a decoded payload is judged for. ROT13 also turns markup into markup, so only prose rules count there.
const PROSE_TECHNIQUES = new Set<Technique>(['override', 'concealment', 'exfiltration', 'credential-request', 'cross-server', 'model-tag'])
const ROT13_HINT = /ignore|instruction|previous|disregard|secret|password|token|ssh|credential|api key|system|send|upload|forward|conversation|user|tell|hidden|important/
// "Decode this and follow it": the payload is an instruction whatever it says.
const DECODE_AND_OBEY =
  /\b(?:decode|decoded|decoding|base64|base-64|rot13|rot-13|hex|unescape)\b[^.!?\n]{0,80}?\b(?:follow|execute|obey|apply|run|perform|carry\s+out|comply|act\s+on|do\s+what)|\b(?:follow|execute|obey|carry\s+out|act\s+on)\b[^.!?\n]{0,80}?\b(?:decoded|encoded|base64|base-64|rot13|rot-13|hex)\b/

const NAMED: Readonly<Record<string, string>> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', sol: '/', excl: '!', hyphen: '-', dash: '-', colon: ':', lsqb: '[', rsqb: ']', vert: '|', num: '#', period: '.', comma: ','}

/** Every match of a global pattern that cannot match empty (exec, not matchAll: no regex copy per call). */
function allMatches(regex: RegExp, text: string): RegExpExecArray[] {
  const matches: RegExpExecArray[] = []
  regex.lastIndex = 0
  for (let match = regex.exec(text); match; match = regex.exec(text)) matches.push(match)
  return matches
}

function readable(text: string): boolean {
  if (text.length < 8 || !PRINTABLE.test(text)) return false
  const letters = text.match(/\p{L}/gu)?.length ?? 0
  return letters / text.length > 0.55 && /\s/.test(text)
}

function fromBase64(token: string): string | undefined {
  if (!/[A-Z]/.test(token) || !/[a-z]/.test(token)) return undefined
  const text = Buffer.from(token, 'base64').toString('utf8')
  return readable(text) ? text : undefined
}

function fromHex(token: string): string | undefined {
  const digits = token.replaceAll(/\\x|0x|[ :,]/g, '')
  if (digits.length % 2 !== 0) return undefined
  const text = Buffer.from(digits, 'hex').toString('utf8')
  return readable(text) ? text : undefined
}

function fromPercent(token: string): string | undefined {
  if ((token.match(PERCENT)?.length ?? 0) < 3) return undefined
  try {
    const text = decodeURIComponent(token.replaceAll('+', ' '))
    return readable(text) ? text : undefined
  } catch {
    return undefined
  }
}

function decodeEntities(text: string): string {
  return text.replaceAll(ENTITY_OR_ESCAPE, (entity) => {
    if (entity.startsWith('\\u')) return String.fromCodePoint(Number.parseInt(entity.replaceAll(/[\\u{}]/g, ''), 16))
    if (entity.startsWith('&#')) {
      const hex = entity[2] === 'x' || entity[2] === 'X'
      const code = Number.parseInt(entity.slice(hex ? 3 : 2).replace(';', ''), hex ? 16 : 10)
      return code > 0 && code <= 0x10_ff_ff ? String.fromCodePoint(code) : entity
    }

    return NAMED[entity.slice(1, -1).toLowerCase()] ?? entity
  })
}

function rot13(text: string): string {
  const out = Buffer.from(text, 'latin1')
  for (let i = 0; i < out.length; i++) {
    const c = out[i]
    if (c >= 97 && c <= 122) out[i] = ((c - 97 + 13) % 26) + 97
  }

  return out.toString('latin1')
}

// ROT13 hides a sentence or two in a definition; judging a large result twice over is not worth it.
const ROT13_MAX = 16 * 1024
// ROT13 of the words every hidden sentence uses (the, and, you, your, to, all, ignore, send, secret, system, user…).
const ROT13_WORDS = /\b(?:gur|naq|lbh|lbhe|gb|nyy|vtaber|fraq|frperg|flfgrz|hfre|cnffjbeq|gbxra|vafgehpgvbaf|cerivbhf|qb|abg)\b/

export const encoded: TextRule = {
  meta,
  check(subject: Subject): Hit[] {
    const {text, inner} = subject
    if (!inner || subject.depth >= MAX_DEPTH) return []
    const hits: Hit[] = []
    const obeyDecoded = /decod|base|rot|hex|unescap/.test(subject.folded.text) && DECODE_AND_OBEY.test(subject.folded.text)
    const judge = (decoded: string, how: string, start: number, end: number, techniques?: Set<Technique>): void => {
      const found = inner(decoded).filter((h) => !techniques || techniques.has(h.technique))
      // Only a payload that is prose counts as "decode and obey": an encoded example string is not one.
      const prose = !techniques && obeyDecoded && decoded.trim().split(/\s+/).length >= 4
      if (found.length === 0 && !prose) return
      const why = found.length > 0 ? found[0].message.replace(/^The text/, 'It') : 'The text asks the model to decode it and follow what it says.'
      hits.push({
        rule: meta.id,
        technique: meta.technique,
        severity: meta.severity,
        message: `${how} text decodes to "${excerptOf(decoded)}". ${why}`,
        start,
        end,
      })
    }

    // Base64 of prose mixes cases; hex of text always holds digits: bulk text without them skips the scan.
    for (const [regex, decode, how] of [
      [/[A-Z]/.test(text) && /[a-z]/.test(text) ? BASE64 : undefined, fromBase64, 'Base64'],
      [/\d/.test(text) ? HEX : undefined, fromHex, 'Hex-encoded'],
    ] as const) {
      if (!regex) continue
      // Collected before judging: a decoded payload is judged by this rule again, with the same regex.
      for (const match of allMatches(regex, text)) {
        const decoded = decode(match[0])
        if (decoded) judge(decoded, how, match.index, match.index + match[0].length)
        if (hits.length >= 3) return hits
      }
    }

    if (text.includes('%')) {
      TOKEN.lastIndex = 0
      for (const match of text.matchAll(TOKEN)) {
        if (!match[0].includes('%')) continue
        const decoded = fromPercent(match[0])
        if (decoded) judge(decoded, 'URL-encoded', match.index, match.index + match[0].length)
      }
    }

    if (text.includes('&') || text.includes('\\u')) {
      ENTITY_OR_ESCAPE.lastIndex = 0
      const all = [...text.matchAll(ENTITY_OR_ESCAPE)]
      if (all.length >= 3) {
        const decoded = decodeEntities(text)
        const first = all[0].index
        const last = all.at(-1)!
        judge(decoded, 'Entity- or escape-encoded', first, last.index + last[0].length, new Set([...PROSE_TECHNIQUES, 'hidden-comment']))
      }
    }

    const turned = subject.folded.text.length <= ROT13_MAX && ROT13_WORDS.test(subject.folded.text) ? rot13(subject.folded.text) : ''
    if (turned && ROT13_HINT.test(turned)) {
      const found = inner(turned).filter((h) => PROSE_TECHNIQUES.has(h.technique))
      if (found.length > 0) {
        // The folded and the turned text share offsets, so the inner span maps back through the fold.
        const {start, end} = found[0]
        const map = subject.folded.map
        const from = map ? map[start] : start
        const to = map ? map[Math.max(start, end - 1)] + 1 : end
        hits.push({
          rule: meta.id,
          technique: meta.technique,
          severity: meta.severity,
          message: `ROT13 text decodes to "${excerptOf(turned.slice(start, end))}". ${found[0].message.replace(/^The text/, 'It')}`,
          start: from,
          end: to,
        })
      }
    }

    return hits
  },
}
