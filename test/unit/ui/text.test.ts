import {describe, expect, it} from 'vitest'

import {shown, shownDeep} from '../../../src/ui/text.js'

// Every byte a terminal could act on, as the red team sent them.
const HOSTILE = [
  '\u001B[2K\u001B[1Gallow', // erase line, cursor home, a fake verdict
  '\u001B]52;c;ZWNobyBwd25lZA==\u0007', // OSC 52 clipboard write, ended by BEL
  'name\u009B31m', // C1 CSI
  'abc\u202Eexe.txt', // right-to-left override
  'x\u2066y\u2069', // isolates
  'a\rb\bc\u007F', // CR, backspace, DEL
]
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/

describe('shown: text as a terminal may receive it', () => {
  it.each(HOSTILE)('escapes %j', (text) => {
    const out = shown(text)
    expect(out).not.toMatch(RAW)
    expect(out).toContain('\\')
  })

  it('writes ESC as \\x1b and a bidi override as \\u202e', () => {
    expect(shown('\u001B[2K')).toBe('\\x1b[2K')
    expect(shown('a\u202Eb')).toBe('a\\u202eb')
    expect(shown('a\u0085b')).toBe('a\\x85b')
  })

  it('escapes newlines on one line and keeps them (and tabs) in text laid out in lines', () => {
    expect(shown('a\nb')).toBe('a\\x0ab')
    expect(shown('a\nb\tc\u001B', {lines: true})).toBe('a\nb\tc\\x1b')
  })

  it('leaves ordinary text, CJK, Arabic and emoji byte for byte, and returns the same string', () => {
    for (const text of ['read_file', 'C:\\Users\\me', '読み込み', 'قراءة', 'ok 👍']) expect(shown(text)).toBe(text)
  })

  it('reaches every string of plain props, leaves functions and class instances alone', () => {
    const fn = () => 1
    const date = new Date(0)
    const out = shownDeep({a: ['\u001B[2K', {b: '\u0007'}], fn, date, n: 1})
    expect(out).toEqual({a: ['\\x1b[2K', {b: '\\x07'}], fn, date, n: 1})
    expect(out.fn).toBe(fn)
  })
})
