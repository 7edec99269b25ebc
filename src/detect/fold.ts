import {CONFUSABLES} from './catalogue/confusables.js'

/**
 * Text as the phrase rules read it: lower case, `_` as a space, invisible characters dropped,
 * look-alike letters inside Latin words mapped to Latin (`ignоre` with a Cyrillic `о`), letters
 * spelt out one by one joined again (`i g n o r e`, `I-G-N-O-R-E`), and digits used as letters
 * read as letters (`1gn0re`). `map[i]` is the offset in the original text of folded character `i`,
 * so a match in the folded text is reported on the original span.
 */
export interface Folded {
  text: string
  /** Undefined when folding changed no offsets (the common case). */
  map?: Int32Array
}

export function originalSpan(folded: Folded, start: number, end: number, source: string): [number, number] {
  if (!folded.map) return [start, end]
  const from = folded.map[start] ?? source.length
  const last = folded.map[Math.max(start, end - 1)] ?? source.length - 1
  const lastCode = source.codePointAt(last) ?? 0
  return [from, Math.min(source.length, last + (lastCode > 0xff_ff ? 2 : 1))]
}

const SPELT_OUT = /(?<![a-z])[a-z][ .*|·_-][a-z][ .*|·_-][a-z](?![a-z])/i
const LEET = /[a-z][013457]|[013457][a-z]/i
const NON_ASCII = /[^\u0000-\u007f]/

const SEPARATORS = new Set([' ', '.', '*', '|', '·', '_', '-'])
const LEET_LETTERS: Readonly<Record<string, string>> = {'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't'}
/** Characters dropped before reading: invisible ones, as code point ranges (variation selectors included). */
const INVISIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x00_ad, 0x00_ad], [0x06_1c, 0x06_1c], [0x18_0e, 0x18_0e], [0x20_0b, 0x20_0f], [0x20_2a, 0x20_2e], [0x20_60, 0x20_64],
  [0x20_66, 0x20_69], [0xfe_ff, 0xfe_ff], [0xe_00_00, 0xe_00_7f], [0xe_01_00, 0xe_01_ef],
]

function invisible(code: number): boolean {
  for (const [from, to] of INVISIBLE) if (code >= from && code <= to) return true
  return false
}

/** `\u{a}-\u{b}` for a character class (computed, so no literal holds the selectors). */
export function codeRange(from: number, to: number): string {
  return `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`
}

/** ASCII characters as strings, and lower-cased: the folder handles text one character at a time. */
const ASCII_CHARS = Array.from({length: 128}, (_, code) => String.fromCodePoint(code))
const ASCII_LOWER = ASCII_CHARS.map((char) => char.toLowerCase())

export function fold(source: string): Folded {
  const lower = source.toLowerCase()
  const ascii = !NON_ASCII.test(source)
  if (ascii && !SPELT_OUT.test(source)) {
    if (!LEET.test(source)) return {text: lower.replaceAll('_', ' ')}
    // ASCII with nothing spelt out: only digits read as letters change, one character for one, so
    // every offset stays where it was and no map is needed (`m1`, `v2` are common in plain text).
    const chars = [...lower]
    readLeet(chars)
    return {text: chars.join('').replaceAll('_', ' ')}
  }

  const chars: string[] = []
  const map: number[] = []
  for (let i = 0; i < source.length; ) {
    const code = source.codePointAt(i)!
    const width = code > 0xff_ff ? 2 : 1
    if (code < 0x80 || !invisible(code)) {
      chars.push(code < 0x80 ? ASCII_CHARS[code] : source.slice(i, i + width))
      map.push(i)
    }

    i += width
  }

  mapLookAlikes(chars)
  const joined = joinSpeltOut(chars, map)
  readLeet(joined.chars)
  // A lower-cased character may take two code units (`İ`): the map follows every unit.
  let length = 0
  for (const char of joined.chars) length += char.length
  const units = new Int32Array(length)
  let at = 0
  for (const [j, char] of joined.chars.entries()) for (let u = 0; u < char.length; u++) units[at++] = joined.map[j]
  return {text: joined.chars.join('').replaceAll('_', ' '), map: units}
}

const LETTER = /\p{L}/u
const ASCII_LETTER = /[a-z]/

function isAsciiLetterCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)
}

/** A letter of any script (one code point, as a string). */
function isAnyLetter(char: string): boolean {
  const code = char.charCodeAt(0)
  return code < 0x80 ? isAsciiLetterCode(code) : LETTER.test(char)
}

/** Inside a word that has a Latin letter (or is made only of look-alikes), look-alikes become Latin. */
function mapLookAlikes(chars: string[]): void {
  let start = 0
  while (start < chars.length) {
    if (!isAnyLetter(chars[start])) {
      const code = chars[start].charCodeAt(0)
      chars[start] = code < 0x80 ? ASCII_LOWER[code] : chars[start].toLowerCase()
      start++
      continue
    }

    let end = start
    let latin = false
    let allConfusable = true
    while (end < chars.length && isAnyLetter(chars[end])) {
      if (chars[end].charCodeAt(0) < 0x80 || ASCII_LETTER.test(chars[end].toLowerCase())) latin = true
      else if (!(chars[end] in CONFUSABLES)) allConfusable = false
      end++
    }

    for (let k = start; k < end; k++) {
      const code = chars[k].charCodeAt(0)
      if (code < 0x80) {
        chars[k] = ASCII_LOWER[code]
        continue
      }

      const mapped = (latin || allConfusable) && chars[k] in CONFUSABLES ? CONFUSABLES[chars[k]] : undefined
      chars[k] = mapped ?? fullwidth(chars[k]).toLowerCase()
    }

    start = end
  }
}

function fullwidth(char: string): string {
  const code = char.codePointAt(0)!
  if (code >= 0xff_01 && code <= 0xff_5e) return String.fromCodePoint(code - 0xfe_e0)
  if (code >= 0x1_d4_00 && code <= 0x1_d7_ff) return char.normalize('NFKC')
  return char
}

/** `a`–`z` (after folding a character may be two code units, as `i̇` from `İ`: any Latin letter in it counts). */
function isLetter(char: string | undefined): boolean {
  if (char === undefined) return false
  if (char.length === 1) {
    const code = char.charCodeAt(0)
    return code >= 0x61 && code <= 0x7a
  }

  return ASCII_LETTER.test(char)
}

/** `i g n o r e` → `ignore`: three or more single letters, each followed by one separator. */
function joinSpeltOut(chars: string[], map: number[]): {chars: string[]; map: number[]} {
  const outChars: string[] = []
  const outMap: number[] = []
  let k = 0
  while (k < chars.length) {
    if (isLetter(chars[k]) && !isLetter(chars[k - 1])) {
      let end = k
      let letters = 1
      while (SEPARATORS.has(chars[end + 1]) && isLetter(chars[end + 2]) && !isLetter(chars[end + 3])) {
        end += 2
        letters++
      }

      if (letters >= 3) {
        for (let j = k; j <= end; j += 2) {
          outChars.push(chars[j])
          outMap.push(map[j])
        }

        k = end + 1
        continue
      }
    }

    outChars.push(chars[k])
    outMap.push(map[k])
    k++
  }

  return {chars: outChars, map: outMap}
}

/** Digits and signs between letters read as the letters they stand for (`pr3vi0us`). */
function readLeet(chars: string[]): void {
  for (let k = 0; k < chars.length; k++) {
    const as = LEET_LETTERS[chars[k]]
    if (as && (isLetter(chars[k - 1]) || isLetter(chars[k + 1])) && (isLetter(chars[k - 1]) || isLetter(chars[k + 2]))) chars[k] = as
  }
}
