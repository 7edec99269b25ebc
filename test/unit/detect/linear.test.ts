import {describe, expect, it} from 'vitest'
import {detectResult, detectText, detectTool} from '../../../src/detect/index.js'
import {PATTERNS} from '../../../src/detect/rule.js'

const MB = 1024 * 1024
// Inputs that make a backtracking pattern explode: long runs of one class, repeated prefixes of
// the patterns' own alternatives, unclosed constructs, and almost-matches.
const ADVERSARIAL = [
  'a'.repeat(MB),
  ' '.repeat(MB),
  'a '.repeat(MB / 2),
  'ignore '.repeat(MB / 7),
  'send the '.repeat(MB / 9),
  '<!--'.repeat(MB / 4),
  '<important '.repeat(MB / 11),
  '%41'.repeat(MB / 3),
  'A'.repeat(MB - 1) + '!',
  'aGVsbG8g'.repeat(MB / 8),
  '\\x41'.repeat(MB / 4),
  'the user '.repeat(MB / 9),
  'when you call '.repeat(MB / 14),
  '[]('.repeat(MB / 3),
  'i g '.repeat(MB / 4),
]

describe('linear time', () => {
  it('registers the patterns of every rule', () => {
    expect(PATTERNS.length).toBeGreaterThan(20)
    for (const pattern of PATTERNS) expect(pattern.flags).toContain('g')
  })

  it('runs each pattern over adversarial 1 MB inputs within a bound', () => {
    for (const input of ADVERSARIAL) {
      for (const pattern of PATTERNS) {
        const started = performance.now()
        pattern.lastIndex = 0
        let count = 0
        while (pattern.exec(input) && count++ < 1000) if (pattern.lastIndex === 0) break
        pattern.lastIndex = 0
        const ms = performance.now() - started
        // Linear patterns take a few ms per MB; a backtracking one takes minutes. The bound is loose for a loaded machine.
        expect(ms, `${pattern.source.slice(0, 80)} on ${JSON.stringify(input.slice(0, 12))}`).toBeLessThan(1500)
      }
    }
  }, 600_000)

  it('judges a 1 MB description, schema and result in bounded time', () => {
    for (const input of ADVERSARIAL.slice(0, 8)) {
      const started = performance.now()
      detectTool({name: 'x', description: input, inputSchema: {type: 'object', properties: {a: {type: 'string', description: input.slice(0, 4096)}}}})
      detectResult({content: [{type: 'text', text: input}]})
      detectText(input)
      expect(performance.now() - started, JSON.stringify(input.slice(0, 12))).toBeLessThan(10_000)
    }
  }, 600_000)
})
