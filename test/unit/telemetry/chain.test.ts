import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {canonicalJson} from '../../../src/telemetry/chain.js'

const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined))
const value = fc.letrec((tie) => ({
  node: fc.oneof({depthSize: 'small'}, leaf, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
})).node

/** The same value with every object's keys inserted in reverse order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((item) => reordered(item))
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(v).reverse()) Object.defineProperty(out, key, {value: reordered((v as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true})
  return out
}

describe('canonicalJson', () => {
  it('holds the same value as JSON.stringify, with keys sorted, whatever order they were inserted in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (record) => {
        const text = canonicalJson(record)
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(record)))
        expect(canonicalJson(reordered(record))).toBe(text)
      }),
      {numRuns: 3000},
    )
  })

  it('sorts keys at every depth by code unit, integer-like keys included, and leaves out undefined and function members', () => {
    expect(canonicalJson({b: 1, a: {d: [1, undefined, () => 1], c: undefined}, e: () => 1})).toBe('{"a":{"d":[1,null,null]},"b":1}')
    expect(canonicalJson({'': 0, '10': 1, '9': 2, a: 3})).toBe('{"":0,"10":1,"9":2,"a":3}')
  })

  it('keeps a key named __proto__ as data', () => {
    const parsed = JSON.parse('{"z":1,"__proto__":{"x":1}}') as unknown
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"z":1}')
  })
})
