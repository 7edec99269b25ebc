import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {crc32, crc32Base62Valid} from '../../../src/detect/secret-formats.js'
import {detectSecret, redactText, SECRET_FORMATS} from '../../../src/detect/secrets.js'
import {redactValue} from '../../../src/telemetry/redact.js'

const corpus = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'detect', 'secrets.json'), 'utf8')) as {
  formats: Array<{kind: string; sample: string}>
  decoys: string[]
}

describe('the secret corpus', () => {
  it('covers at least 80 providers, each format in the catalogue with a sample', () => {
    const kinds = new Set(SECRET_FORMATS.map((f) => f.kind))
    expect(kinds.size).toBeGreaterThanOrEqual(80)
    const sampled = new Set(corpus.formats.map((f) => f.kind))
    for (const kind of kinds) if (!['bearer-token', 'basic-auth', 'url-credentials'].includes(kind)) expect(sampled, kind).toContain(kind)
  })

  it.each(corpus.formats)('finds and names $kind where there is no key name to help (arguments, results)', ({kind, sample}) => {
    expect(detectSecret(sample)?.kind).toBe(kind)
    const text = `the tool said: ${sample} (end)`
    const redacted = redactText(text)
    expect(redacted).not.toContain(sample.slice(-16))
    expect(redacted.startsWith('the tool said: ')).toBe(true)
    expect(redactText(JSON.stringify({out: sample}))).not.toContain(sample.slice(-16))
  })

  it.each(corpus.decoys)('leaves the decoy %s alone', (decoy) => {
    expect(detectSecret(decoy)).toBeUndefined()
    expect(redactText(decoy)).toBe(decoy)
  })

  it('verifies the CRC32 checksum of GitHub and npm tokens', () => {
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x41_4f_a3_39)
    for (const {sample} of corpus.formats.filter((f) => /^(?:gh[pousr]|npm)_/.test(f.sample))) {
      expect(crc32Base62Valid(sample, 4)).toBe(true)
      expect(detectSecret(sample)?.verified).toBe(true)
      const tampered = sample.slice(0, 10) + (sample[10] === 'a' ? 'b' : 'a') + sample.slice(11)
      // A token that fails its checksum is still hidden (a typo of a real one is still a secret), but not verified.
      expect(detectSecret(tampered)).toMatchObject({verified: false})
    }
  })

  it('does not label an OpenRouter key as OpenAI', () => {
    expect(detectSecret(`sk-or-v1-${'0a'.repeat(32)}`)?.kind).toBe('openrouter-api-key')
  })
})

describe('key-aware redaction', () => {
  it('redacts values under secret-named keys whose shape matches no format', () => {
    const args = {
      password: 'hunter2!',
      aws_secret_access_key: 'q8Lr0b7PzXk2VhN4dTwYs9MfJcE1uAoGiR5lHn3B',
      nested: {clientSecret: 'plain words but secret', apiKey: 'abcd1234efgh5678'},
      db_passphrase: 'correct horse battery staple',
      city: 'Oslo',
      max_tokens: 512,
    }
    const out = JSON.stringify(redactValue(args))
    for (const leaked of ['hunter2!', 'q8Lr0b7PzXk2', 'abcd1234efgh5678', 'correct horse']) expect(out).not.toContain(leaked)
    expect(out).toContain('Oslo')
    expect(out).toContain('512')
  })
})
