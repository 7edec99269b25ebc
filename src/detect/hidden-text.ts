export type HiddenTextKind = 'bidi' | 'tag' | 'zero-width' | 'other-invisible'

export interface HiddenText {
  kind: HiddenTextKind
  /** `U+202E` */
  codePoint: string
  /** UTF-16 offset into the text (what `text.slice(index)` expects). */
  index: number
  /** 1-based. */
  line: number
}

/**
 * Characters a reader cannot see but a model reads: direction overrides that reorder what is shown
 * (Trojan Source), zero-width characters that split or hide words, and Unicode tag characters that
 * spell out a whole hidden ASCII message.
 */
const RANGES: ReadonlyArray<{from: number; to: number; kind: HiddenTextKind}> = [
  {from: 0x00_ad, to: 0x00_ad, kind: 'other-invisible'}, // soft hyphen
  {from: 0x06_1c, to: 0x06_1c, kind: 'bidi'}, // arabic letter mark
  {from: 0x11_5f, to: 0x11_60, kind: 'other-invisible'}, // hangul fillers, used for invisible identifiers
  {from: 0x18_0e, to: 0x18_0e, kind: 'other-invisible'}, // mongolian vowel separator
  {from: 0x20_0b, to: 0x20_0d, kind: 'zero-width'}, // zero-width space, non-joiner, joiner
  {from: 0x20_0e, to: 0x20_0f, kind: 'bidi'}, // left-to-right and right-to-left marks
  {from: 0x20_2a, to: 0x20_2e, kind: 'bidi'}, // embeddings and overrides
  {from: 0x20_60, to: 0x20_60, kind: 'zero-width'}, // word joiner
  {from: 0x20_61, to: 0x20_64, kind: 'other-invisible'}, // invisible function application, times, separator, plus
  {from: 0x20_66, to: 0x20_69, kind: 'bidi'}, // isolates
  {from: 0x31_64, to: 0x31_64, kind: 'other-invisible'}, // hangul filler
  {from: 0xfe_ff, to: 0xfe_ff, kind: 'zero-width'}, // zero-width no-break space (a BOM only at the start)
  {from: 0xff_a0, to: 0xff_a0, kind: 'other-invisible'}, // halfwidth hangul filler
  {from: 0xe_00_00, to: 0xe_00_7f, kind: 'tag'},
  // Variation selectors supplement: carries a byte per character in "emoji smuggling". The common
  // emoji selectors U+FE00–U+FE0F are left alone.
  {from: 0xe_01_00, to: 0xe_01_ef, kind: 'other-invisible'},
]

const PATTERN = new RegExp(
  `[${RANGES.map(({from, to}) => (from === to ? codeEscape(from) : `${codeEscape(from)}-${codeEscape(to)}`)).join('')}\\n]`,
  'gu',
)

function codeEscape(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`
}

function kindOf(codePoint: number): HiddenTextKind {
  return RANGES.find(({from, to}) => codePoint >= from && codePoint <= to)!.kind
}

const EMOJI_BEFORE = /(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F})$/u
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u
const JOINING_LETTER = /[\p{L}\p{M}]/u
const LATIN = /[\p{Script=Latin}\p{Script=Common}]/u

/**
 * Joiners that the text needs: ZWJ inside an emoji sequence (👨‍👩‍👧), and ZWNJ or ZWJ between letters
 * of scripts that shape with them (Persian, Arabic, Indic). Between Latin letters they only hide words.
 */
function joinsLegitimately(text: string, index: number, codePoint: number): boolean {
  const before = text.slice(Math.max(0, index - 2), index)
  const after = text.slice(index + 1, index + 3)
  if (codePoint === 0x20_0d && EMOJI_BEFORE.test(before) && EMOJI_AFTER.test(after)) return true
  const previous = [...before].at(-1)
  const next = [...after][0]
  return previous !== undefined && next !== undefined && [previous, next].every((char) => JOINING_LETTER.test(char) && !LATIN.test(char))
}

/** Every invisible or direction-changing character in `text`, in order. */
export function findHiddenText(text: string): HiddenText[] {
  const found: HiddenText[] = []
  let line = 1
  for (const match of text.matchAll(PATTERN)) {
    if (match[0] === '\n') {
      line++
      continue
    }

    const codePoint = match[0].codePointAt(0)!
    // A byte-order mark that opens a file is how editors save UTF-8, not a hidden character.
    if (codePoint === 0xfe_ff && match.index === 0) continue
    if ((codePoint === 0x20_0c || codePoint === 0x20_0d) && joinsLegitimately(text, match.index, codePoint)) continue
    found.push({
      kind: kindOf(codePoint),
      codePoint: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`,
      index: match.index,
      line,
    })
  }

  return found
}
