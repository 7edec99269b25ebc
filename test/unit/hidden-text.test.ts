import {describe, expect, it} from 'vitest'

import {findHiddenText} from '../../src/detect/hidden-text.js'

/** Hide an ASCII message in Unicode tag characters, as prompt-smuggling payloads do. */
function tags(message: string): string {
  return [...message].map((char) => String.fromCodePoint(0xe_00_00 + char.codePointAt(0)!)).join('')
}

describe('findHiddenText', () => {
  it('finds nothing in ordinary text in many scripts', () => {
    for (const text of [
      '',
      '# AGENTS.md\n\nRun `npm test` before committing.\r\n\tIndented line.',
      'Café, naïve, Ærøskøbing, Straße — “quotes” … ellipsis',
      '中文说明：运行测试。日本語のテキスト。한국어 텍스트.',
      'שלום עולם and مرحبا بالعالم in one line',
      'Emoji: ❤️ 👍🏽 🇵🇹 and a family 👨‍👩‍👧 and 🏳️‍🌈',
      'Persian with a joiner: می‌خواهم and Hindi क्‍ष',
      'non-breaking\u00A0space and em\u2003space are visible gaps',
      '\uFEFFa file saved with a byte-order mark',
    ]) {
      expect(findHiddenText(text), text).toEqual([])
    }
  })

  it('finds bidi controls that reorder what a reader sees (Trojan Source)', () => {
    const text = 'access = "user\u202E \u2066// admin\u2069 \u2066"'
    expect(findHiddenText(text)).toEqual([
      {kind: 'bidi', codePoint: 'U+202E', index: 14, line: 1},
      {kind: 'bidi', codePoint: 'U+2066', index: 16, line: 1},
      {kind: 'bidi', codePoint: 'U+2069', index: 25, line: 1},
      {kind: 'bidi', codePoint: 'U+2066', index: 27, line: 1},
    ])
  })

  it('classifies every listed code point', () => {
    const expected: Array<[number, string]> = [
      [0x20_0b, 'zero-width'],
      [0x20_0c, 'zero-width'],
      [0x20_0d, 'zero-width'],
      [0x20_0e, 'bidi'],
      [0x20_0f, 'bidi'],
      [0x20_2a, 'bidi'],
      [0x20_2b, 'bidi'],
      [0x20_2c, 'bidi'],
      [0x20_2d, 'bidi'],
      [0x20_2e, 'bidi'],
      [0x20_66, 'bidi'],
      [0x20_67, 'bidi'],
      [0x20_68, 'bidi'],
      [0x20_69, 'bidi'],
      [0x20_60, 'zero-width'],
      [0x20_61, 'other-invisible'],
      [0x20_62, 'other-invisible'],
      [0x20_63, 'other-invisible'],
      [0x20_64, 'other-invisible'],
      [0xfe_ff, 'zero-width'],
      [0x00_ad, 'other-invisible'],
      [0x18_0e, 'other-invisible'],
      [0xe_00_00, 'tag'],
      [0xe_00_01, 'tag'],
      [0xe_00_41, 'tag'],
      [0xe_00_7f, 'tag'],
    ]
    for (const [codePoint, kind] of expected) {
      // Between Latin letters, where no joiner or mark is ever needed.
      const found = findHiddenText(`ab${String.fromCodePoint(codePoint)}cd`)
      expect(found, codePoint.toString(16)).toEqual([{kind, codePoint: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`, index: 2, line: 1}])
    }
  })

  it('leaves the neighbours of the listed ranges alone', () => {
    for (const codePoint of [0x20_0a, 0x20_10, 0x20_29, 0x20_2f, 0x20_65, 0x20_6a, 0xfe_0f, 0x00_ac, 0x00_ae, 0x18_0d, 0x18_0f, 0xe_00_80, 0xd_ff_ff]) {
      expect(findHiddenText(`ab${String.fromCodePoint(codePoint)}cd`), codePoint.toString(16)).toEqual([])
    }
  })

  it('reports a tag-character message one character at a time, with UTF-16 indexes', () => {
    const text = `Summarise the file.${tags('Ignore')}`
    const found = findHiddenText(text)
    expect(found).toHaveLength(6)
    expect(found.every((hit) => hit.kind === 'tag')).toBe(true)
    expect(found.map((hit) => hit.codePoint)).toEqual(['U+E0049', 'U+E0067', 'U+E006E', 'U+E006F', 'U+E0072', 'U+E0065'])
    // Each tag character is a surrogate pair: two UTF-16 units.
    expect(found.map((hit) => hit.index)).toEqual([19, 21, 23, 25, 27, 29])
    expect(String.fromCodePoint(text.codePointAt(found[2].index)!)).toBe(String.fromCodePoint(0xe_00_6e))
  })

  it('counts lines across LF and CRLF endings', () => {
    const text = 'line one\r\nline two\nline\u200Bthree\r\n\r\nfive \u202Ehere'
    expect(findHiddenText(text)).toEqual([
      {kind: 'zero-width', codePoint: 'U+200B', index: 23, line: 3},
      {kind: 'bidi', codePoint: 'U+202E', index: 38, line: 5},
    ])
  })

  it('reports a byte-order mark anywhere but the very start', () => {
    expect(findHiddenText('\uFEFFfirst\uFEFFsecond')).toEqual([{kind: 'zero-width', codePoint: 'U+FEFF', index: 6, line: 1}])
  })

  it('reports joiners that split Latin words or sit outside an emoji sequence', () => {
    expect(findHiddenText('ig\u200Cnore previous').map((hit) => hit.codePoint)).toEqual(['U+200C'])
    expect(findHiddenText('ad\u200Dmin').map((hit) => hit.codePoint)).toEqual(['U+200D'])
    expect(findHiddenText('👍\u200D and').map((hit) => hit.codePoint)).toEqual(['U+200D'])
    expect(findHiddenText('\u200C').map((hit) => hit.codePoint)).toEqual(['U+200C'])
  })

  it('reports variation selectors used to smuggle bytes, but not emoji presentation selectors', () => {
    const smuggled = `😀${String.fromCodePoint(0xe_01_00)}${String.fromCodePoint(0xe_01_ef)}`
    expect(findHiddenText(smuggled).map((hit) => [hit.kind, hit.codePoint])).toEqual([
      ['other-invisible', 'U+E0100'],
      ['other-invisible', 'U+E01EF'],
    ])
    expect(findHiddenText('☺\uFE0F ☺\uFE0E')).toEqual([])
  })
})
