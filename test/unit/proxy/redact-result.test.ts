import {describe, expect, it} from 'vitest'

import {redactResult} from '../../../src/proxy/scanning.js'

// Built at run time so the repository holds nothing a push-protection scanner would take for a key.
const secret = ['sk', 'proj', 'Zq8vW2mLx4Tn7Rb1Kc9Pd3Hf6Js0Ya5Ue'].join('-')

describe('redactResult', () => {
  it('returns a clean result as it came, not a copy', () => {
    const result = {content: [{type: 'text', text: 'Echo: hello'}], structuredContent: {n: 1, tags: ['a']}}
    const out = redactResult(result)
    expect(out.count).toBe(0)
    expect(out.result).toBe(result)
  })

  it('redacts a nested secret, copies only the path to it, and leaves the original and binary data alone', () => {
    // A real payload is base64; a secret dressed as one is not (test/unit/telemetry/redact.test.ts).
    const image = {type: 'image', data: Buffer.from(`bytes ${secret}`).toString('base64'), mimeType: 'image/png'}
    const clean = {type: 'text', text: 'nothing here'}
    const result = {content: [clean, {type: 'text', text: `key: ${secret}`}, image]}
    const out = redactResult(result)
    expect(out.count).toBe(1)
    expect(JSON.stringify(out.result)).not.toContain(`key: ${secret}`)
    const content = out.result.content as unknown[]
    expect(content[0]).toBe(clean)
    expect(content[2]).toBe(image)
    expect(result.content[1]).toEqual({type: 'text', text: `key: ${secret}`})
  })

  it('keeps a key named __proto__ as data when it copies an object', () => {
    const result = JSON.parse(`{"__proto__": {"polluted": true}, "text": "token=${secret}"}`) as Record<string, unknown>
    const out = redactResult(result)
    expect(out.count).toBe(1)
    expect(Object.getPrototypeOf(out.result)).toBe(Object.prototype)
    expect(Object.hasOwn(out.result, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
