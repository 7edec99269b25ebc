import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'

import {canonicalJson, digestOf, sha256} from '../../src/digest.js'
import {PinStore, pinFilePath} from '../../src/proxy/pins.js'
import {tempDir} from '../helpers/tree.js'

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
      // 500 generated records keep this under a second; 3000 took 7 s and timed out under load.
      {numRuns: 500},
    )
  })

  it('spells strings, keys and numbers byte for byte as JSON.stringify does (quotes, controls, lone surrogates)', () => {
    const text = fc.oneof(fc.string({unit: 'binary'}), fc.string({unit: 'binary-ascii'}), fc.constantFrom('"', '\\', '\u0000', '\u001F', '\uD800', '\uDFFF', '\u2028', '\u007F'))
    fc.assert(
      fc.property(text, fc.oneof(fc.double(), fc.integer(), text), (key, member) => {
        expect(canonicalJson(key)).toBe(JSON.stringify(key))
        expect(canonicalJson({[key]: member})).toBe(JSON.stringify({[key]: member}))
      }),
      {numRuns: 2000},
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

describe('sha256', () => {
  it('is the same for a string and its UTF-8 bytes', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256(Buffer.from('héllo', 'utf8'))).toBe(sha256('héllo'))
  })
})

// Written by agentgov before it had one canonical JSON (the proxy's own wrote undefined members as
// null): the digests below are what that code stored on disk for these values.
const ECHO = {name: 'echo', description: 'Echoes back the input', inputSchema: {type: 'object', properties: {message: {type: 'string', description: 'Message to echo'}}, required: ['message']}}
const WRITE = {
  name: 'write_file',
  title: 'Write file',
  description: 'Create or overwrite a file.',
  inputSchema: {type: 'object', properties: {path: {type: 'string'}, content: {type: 'string'}}, required: ['path', 'content'], additionalProperties: false},
  outputSchema: {type: 'object', properties: {ok: {type: 'boolean'}}},
  annotations: {destructiveHint: true, readOnlyHint: false, title: null},
}
const OLD_PINS = {echo: 'e0524383d74d9c228ede00e2cdd78c7c6a7e977098a23d2facf8895a57076a7a', write_file: 'c63ca3e949138ce465351c9feeba37d3960c3edb0103d196c9259ce30e1a1d17'}

describe('digests stored by earlier versions still match', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => {
    while (cleanups.length > 0) cleanups.pop()!()
  })

  it('a pin file written by the old code: the same definitions are "same", a changed one is "changed"', () => {
    const state = tempDir('agentgov-pins-')
    cleanups.push(state.cleanup)
    const path = pinFilePath(state.path, 'ev')
    mkdirSync(join(state.path, 'pins'), {recursive: true})
    const tools = Object.fromEntries(Object.entries(OLD_PINS).map(([name, hash]) => [name, {hash, pinnedAt: '2026-01-01T00:00:00.000Z'}]))
    writeFileSync(path, JSON.stringify({server: 'ev', tools}))
    const pins = new PinStore(state.path, 'ev')
    expect(Object.fromEntries(pins.check([ECHO, WRITE]))).toEqual({echo: 'same', write_file: 'same'})
    // The absent title of echo must not match an explicit empty one: absent hashes as null, not as "".
    expect(Object.fromEntries(pins.check([{...ECHO, title: ''}]))).toEqual({echo: 'changed'})
  })

  it('an argument digest of a parsed message', () => {
    const args = JSON.parse('{"path":"/tmp/x","nested":{"b":[1,null,"two"],"a":{"z":1,"y":2}},"n":1.5}') as unknown
    expect(digestOf(args)).toBe('0ee159f014fc1cd8b68a56342852825ec102c794190279020b4864c87461d12a')
  })
})
