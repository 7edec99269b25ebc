import {describe, expect, it} from 'vitest'

import {redactJson, redactRecord, redactUri} from '../../../src/telemetry/redact.js'

// Built at run time so the repository holds nothing a push-protection scanner would take for a key.
const GHP = ['ghp', '0123456789abcdefghijklmnopqrstuvwxyzAB'].join('_')
const AWS_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYzQ9vLk3T'].join('/')
const BASE64_IMAGE = Buffer.from('\u0089PNG\r\n\u001a\n' + 'x'.repeat(64)).toString('base64')

const redacted = (value: unknown) => JSON.stringify(redactJson(value, {payloads: true}).value)

describe('redactJson: the one key-aware redactor', () => {
  it('returns a clean value as it came, not a copy', () => {
    const clean = {content: [{type: 'text', text: 'hello'}], structuredContent: {n: 1}}
    const out = redactJson(clean, {payloads: true})
    expect(out.value).toBe(clean)
    expect(out.count).toBe(0)
  })

  it('redacts values under secret-named keys whose shape matches no known format, at any depth', () => {
    const value = {a: {b: [{password: 'hunter22'}, {aws_secret_access_key: AWS_SECRET}]}, config: {client_secret: 'q8Zr-Vm3n_Lp0x'}, apiKey: 'plainlongervalue9'}
    const out = redactJson(value, {payloads: true})
    const text = JSON.stringify(out.value)
    for (const secret of ['hunter22', AWS_SECRET, 'q8Zr-Vm3n_Lp0x', 'plainlongervalue9']) expect(text).not.toContain(secret)
    expect(out.count).toBe(4)
    // The original is untouched.
    expect(value.a.b[0].password).toBe('hunter22')
  })

  it('leaves setting words, paths and placeholders under secret-named keys alone', () => {
    const value = {token_type: 'bearer', auth: 'oauth2', password_file: '/etc/pw', secret: '<your-secret>'}
    expect(redactJson(value, {payloads: true}).count).toBe(0)
  })

  it('redacts a secret under a key named data or blob that is no media payload', () => {
    for (const value of [{data: GHP}, {result: {nested: {blob: `token ${GHP}`}}}, {type: 'text', data: GHP}, {contents: [{uri: 'x://y', text: 't', data: GHP}]}]) {
      expect(redacted(value)).not.toContain(GHP)
    }
  })

  it('leaves the base64 payload of image and audio items and resource blobs alone, and only those', () => {
    const image = {type: 'image', data: BASE64_IMAGE, mimeType: 'image/png'}
    const audio = {type: 'audio', data: BASE64_IMAGE, mimeType: 'audio/wav'}
    const embedded = {type: 'resource', resource: {uri: 'file:///a.bin', blob: BASE64_IMAGE}}
    const read = {contents: [{uri: 'file:///a.bin', blob: BASE64_IMAGE}]}
    for (const value of [{content: [image, audio, embedded]}, read]) expect(redactJson(value, {payloads: true}).value).toBe(value)
  })

  it('scans a payload-shaped field that is not base64 (a secret dressed as an image)', () => {
    expect(redacted({content: [{type: 'image', data: GHP, mimeType: 'image/png'}]})).not.toContain(GHP)
    expect(redacted({type: 'resource', resource: {uri: 'x://y', blob: `${GHP} and more`}})).not.toContain(GHP)
  })

  it('treats a blob outside resource contents as text (a nested "contents" is not the read result)', () => {
    const AKIA = ['AKIA', 'IOSFODNN7EXAMPLQ'].join('')
    expect(redacted({structuredContent: {contents: [{uri: 'x://y', blob: AKIA}]}})).not.toContain(AKIA)
  })

  it('redacts an error message and data the same way', () => {
    const error = {code: -32_000, message: `failed with ${GHP}`, data: {password: 'pw-hunter2', deeper: [{secret: 'Zx9-lkj2-Qw8e'}]}}
    const text = JSON.stringify(redactJson(error, {payloads: true}).value)
    for (const secret of [GHP, 'pw-hunter2', 'Zx9-lkj2-Qw8e']) expect(text).not.toContain(secret)
  })

  it('redacts a secret used as an object key', () => {
    expect(redacted({[GHP]: 1})).not.toContain(GHP)
  })

  it('redacts media payloads too when not told otherwise (arguments are redacted whole)', () => {
    const AKIA = ['AKIA', 'IOSFODNN7EXAMPLQ'].join('')
    expect(JSON.stringify(redactJson({type: 'image', data: AKIA}).value)).not.toContain(AKIA)
  })

  it('keeps a key named __proto__ as data', () => {
    const value = JSON.parse(`{"__proto__": {"password": "hunter22"}}`) as Record<string, unknown>
    const out = redactJson(value).value as Record<string, unknown>
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(JSON.stringify(out)).not.toContain('hunter22')
  })
})

describe('redactUri: a resource URI as a record subject', () => {
  it.each([
    ['https://alice:pass@host.example/a', 'pass'],
    ['https://alice:s3cr3t-Pw@host.example/a?x=1', 's3cr3t-Pw'],
    ['https://host.example/a?token=abc123', 'abc123'],
    ['https://host.example/a?api_key=k3y-v4lue&x=1', 'k3y-v4lue'],
    [`file:///srv/${GHP}/notes.txt`, GHP],
    [`https://host.example/a#access_token=${GHP}`, GHP],
  ])('%s loses its credential', (uri, secret) => {
    const out = redactUri(uri)
    expect(out).not.toContain(secret)
    expect(out.startsWith(uri.slice(0, 8))).toBe(true)
  })

  it('leaves a plain URI byte for byte', () => {
    expect(redactUri('file:///home/me/notes.txt')).toBe('file:///home/me/notes.txt')
    expect(redactUri('https://alice@host.example/a?page=2')).toBe('https://alice@host.example/a?page=2')
  })

  it('is applied to the subject of a resource record before it is written', () => {
    const out = redactRecord({kind: 'decision', time: 1, agent: 'a', server: 's', stage: 'resource', tool: 'https://u:pass@h/x'})
    expect(out.tool).toBe('https://u:[redacted]@h/x')
  })
})
