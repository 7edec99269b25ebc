import {describe, expect, it} from 'vitest'

import {redactText} from '../../src/detect/secrets.js'
import {mapPieces, scanWindows, WINDOW} from '../../src/detect/windows.js'

describe('bounded pieces of large texts', () => {
  it('rewrites piece by piece without losing or doubling a character', () => {
    const text = Array.from({length: 40_000}, (_, i) => `word${i}`).join(' ')
    expect(mapPieces(text, (piece) => piece)).toBe(text)
    expect(mapPieces('y'.repeat(3 * WINDOW + 5), (piece) => piece)).toHaveLength(3 * WINDOW + 5)
  })

  it('still redacts a secret that sits at a piece boundary', () => {
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
    const text = `${'x '.repeat(WINDOW / 2 - 10)}${token} tail`
    const redacted = redactText(text)
    expect(redacted).not.toContain(token)
    expect(redacted.endsWith(' tail')).toBe(true)
  })

  it('overlaps scan windows so a phrase across a boundary is seen', () => {
    const phrase = 'ignore previous instructions'
    const text = 'a'.repeat(WINDOW - 10) + phrase
    expect([...scanWindows(text)].some((piece) => piece.includes(phrase))).toBe(true)
  })
})
