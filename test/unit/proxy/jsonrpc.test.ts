import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {decodeLine, decodeText} from '../../../src/proxy/jsonrpc.js'
import {LineSplitter} from '../../../src/proxy/lines.js'

const violation = (text: string) => {
  const decoded = decodeText(text)
  return decoded.kind === 'violation' ? decoded.violation : decoded.kind
}

describe('strict JSON-RPC decoding', () => {
  it('classifies requests, notifications and responses', () => {
    expect(decodeText('{"jsonrpc":"2.0","id":1,"method":"tools/list"}').kind).toBe('request')
    expect(decodeText('{"jsonrpc":"2.0","method":"notifications/initialized"}').kind).toBe('notification')
    expect(decodeText('{"jsonrpc":"2.0","id":"a","result":{}}').kind).toBe('response')
    expect(decodeText('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}').kind).toBe('response')
  })

  it('refuses what could be read two ways', () => {
    expect(violation('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","name":"delete"}}')).toBe('duplicate-keys')
    expect(violation('{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}')).toBe('duplicate-keys')
    expect(violation('\uFEFF{"jsonrpc":"2.0","id":1,"method":"ping"}')).toBe('not-json')
    expect(violation('{"jsonrpc":"2.0","id":1,"method":"ping"} {"jsonrpc":"2.0","id":2,"method":"ping"}')).toBe('not-json')
    expect(violation('[{"jsonrpc":"2.0","id":1,"method":"ping"}]')).toBe('batch')
    expect(violation('"ping"')).toBe('not-object')
    expect(violation('{"jsonrpc":"1.0","id":1,"method":"ping"}')).toBe('bad-jsonrpc')
    expect(violation('{"jsonrpc":"2.0","id":null,"method":"ping"}')).toBe('bad-id')
    expect(violation('{"jsonrpc":"2.0","id":1.5,"method":"ping"}')).toBe('bad-id')
    expect(violation('{"jsonrpc":"2.0","id":true,"method":"ping"}')).toBe('bad-id')
    expect(violation('{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}')).toBe('bad-jsonrpc')
    expect(violation('{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}')).toBe('bad-jsonrpc')
    expect(decodeLine(Buffer.from([0x7b, 0xff, 0x7d])).kind).toBe('violation')
  })

  it('keeps the request id for an invalid-request answer when it can be told', () => {
    expect(decodeText('{"jsonrpc":"1.0","id":7,"method":"ping"}')).toMatchObject({kind: 'violation', id: 7})
    expect(decodeText('[1]')).toMatchObject({kind: 'violation', id: null})
  })

  it('does not count quoted colons, escaped quotes or string values as keys', () => {
    expect(decodeText(String.raw`{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":"b\":\"c","d":"\\","e":"x:y"}}`).kind).toBe('request')
  })

  it('never throws, and refuses every text JSON.parse reads with duplicate keys', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => decodeText(text)).not.toThrow()
      }),
    )
    fc.assert(
      fc.property(fc.dictionary(fc.string({minLength: 1, maxLength: 5}), fc.jsonValue(), {minKeys: 1}), (object) => {
        const [key] = Object.keys(object)
        const inner = JSON.stringify(object).slice(1, -1)
        const text = `{"jsonrpc":"2.0","id":1,"method":"m","params":{${inner},${JSON.stringify(key)}:0}}`
        expect(decodeText(text)).toMatchObject({kind: 'violation', violation: 'duplicate-keys'})
      }),
    )
  })
})

describe('LineSplitter', () => {
  it('splits across chunks and passes a 50 MB line whole', () => {
    const lines: number[] = []
    const splitter = new LineSplitter((line) => lines.push(line.length), () => lines.push(-1))
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61)
    for (let i = 0; i < big.length; i += 65_536) splitter.push(big.subarray(i, i + 65_536))
    splitter.push(Buffer.from('\nab\r\n\r\ncd'))
    splitter.end()
    expect(lines).toEqual([50 * 1024 * 1024, 3, 2])
  })

  it('drops an oversized line whole and goes on with the next', () => {
    const seen: string[] = []
    const splitter = new LineSplitter((line) => seen.push(line.toString()), (bytes) => seen.push(`oversize ${bytes}`), 8)
    splitter.push(Buffer.from('0123456789abc\nok\n'))
    expect(seen).toEqual(['oversize 13', 'ok'])
  })
})
