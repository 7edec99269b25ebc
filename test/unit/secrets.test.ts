import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {detectSecret, isPlaceholder, redactArgs, redactText, redactUrl, SECRET_FORMATS, SECRET_NAME_WORDS, secretNameStrength} from '../../src/detect/secrets.js'

/**
 * Deterministic token bodies, built at run time so the repository holds nothing a push-protection
 * scanner would take for a live credential.
 */
function body(length: number, seed = 7, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
  // mulberry32: small, seedable, and uniform enough for every alphabet size.
  let state = seed >>> 0
  let out = ''
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d_2b_79_f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    const random = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
    out += alphabet[Math.floor(random * alphabet.length)]
  }

  return out
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const GITHUB = `ghp_${body(36, 1)}`
const OPENAI = `sk-proj-${body(64, 2)}`
const ANTHROPIC = `sk-ant-api03-${body(80, 3)}`
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${body(43, 4)}`

/** The secret must be gone from the output: neither it nor any 12-character slice of it remains. */
function expectGone(output: string, secret: string): void {
  expect(output).not.toContain(secret)
  for (let i = 4; i + 12 <= secret.length; i += 6) expect(output).not.toContain(secret.slice(i, i + 12))
}

describe('detectSecret: well-known formats', () => {
  const cases: Array<[string, string]> = [
    ['github-token', GITHUB],
    ['github-token', `gho_${body(36, 11)}`],
    ['github-token', `ghs_${body(36, 12)}`],
    ['github-token', `ghu_${body(36, 13)}`],
    ['github-token', `github_pat_${body(22, 14)}_${body(59, 15)}`],
    ['gitlab-token', `glpat-${body(20, 16)}`],
    ['slack-token', `xoxb-${body(12, 17, '0123456789')}-${body(24, 18)}`],
    ['slack-token', `xoxp-${body(12, 19, '0123456789')}-${body(32, 20)}`],
    ['aws-access-key-id', `AKIA${body(16, 21, UPPER_DIGITS)}`],
    ['aws-access-key-id', `ASIA${body(16, 22, UPPER_DIGITS)}`],
    ['anthropic-api-key', ANTHROPIC],
    ['openai-api-key', OPENAI],
    ['openai-api-key', `sk-${body(48, 23)}`],
    ['google-api-key', `AIza${body(35, 24)}`],
    ['stripe-secret-key', `sk_live_${body(24, 25)}`],
    ['stripe-secret-key', `rk_live_${body(24, 26)}`],
    ['groq-api-key', `gsk_${body(52, 27)}`],
    ['huggingface-token', `hf_${body(34, 28)}`],
    ['npm-token', `npm_${body(36, 29)}`],
    ['jwt', JWT],
    ['private-key', `-----BEGIN RSA PRIVATE KEY-----\n${body(64, 30)}\n${body(64, 31)}==\n-----END RSA PRIVATE KEY-----`],
    ['private-key', `-----BEGIN OPENSSH PRIVATE KEY-----\\n${body(70, 32)}\\n-----END OPENSSH PRIVATE KEY-----\\n`],
  ]

  it.each(cases)('recognises %s', (kind, secret) => {
    const hit = detectSecret(secret)
    expect(hit?.kind).toBe(kind)
    expectGone(hit!.redacted, secret)
  })

  it('finds a format inside a longer value and keeps the rest readable', () => {
    const hit = detectSecret(`token ${GITHUB}`)
    expect(hit?.kind).toBe('github-token')
    expect(hit?.redacted).toBe('token ghp_…[redacted 40 chars]')
  })

  it('treats a bearer header value as a secret but keeps the scheme', () => {
    const token = body(40, 40)
    const hit = detectSecret(`Bearer ${token}`)
    expect(hit?.kind).toBe('bearer-token')
    expect(hit?.redacted).toMatch(/^Bearer [^ ]+\[redacted 40 chars\]$/)
    expectGone(hit!.redacted, token)
  })

  it('finds basic-auth credentials in a URL and redacts only the password', () => {
    const hit = detectSecret('https://deploy:Tr0ub4dor-x9@git.internal.example/org/repo.git')
    expect(hit?.kind).toBe('url-credentials')
    expect(hit?.redacted).toBe('https://deploy:[redacted]@git.internal.example/org/repo.git')
  })

  it('flags a secret-looking query parameter in a URL', () => {
    const hit = detectSecret('https://api.weather.test/v1?units=metric&api_key=9f8e7d6c5b4a39281706')
    expect(hit?.kind).toBe('url-secret-param')
    expect(hit?.redacted).toBe('https://api.weather.test/v1?units=metric&api_key=9f8e…[redacted 20 chars]')
  })

  it('keeps the catalogue as data with one kind and pattern per entry', () => {
    expect(SECRET_FORMATS.length).toBeGreaterThan(15)
    for (const format of SECRET_FORMATS) {
      expect(format.kind).toMatch(/^[a-z][a-z-]+$/)
      expect(format.pattern).toBeInstanceOf(RegExp)
    }
  })
})

describe('detectSecret: not literal secrets', () => {
  it.each([
    '${env:GITHUB_TOKEN}',
    '${input:github_token}',
    '${GITHUB_TOKEN}',
    '${GITHUB_TOKEN:-}',
    '{env:GITHUB_TOKEN}',
    '${{ secrets.GITHUB_TOKEN }}',
    '$GITHUB_TOKEN',
    '%GITHUB_TOKEN%',
    'Bearer ${GITHUB_TOKEN}',
    'Bearer ${input:token}',
    'Bearer {env:LINEAR_KEY}',
    'Bearer $TOKEN',
  ])('interpolation %s under a secret name', (value) => {
    expect(detectSecret(value, 'GITHUB_TOKEN')).toBeUndefined()
    expect(detectSecret(value, 'Authorization')).toBeUndefined()
  })

  it.each([
    'your-api-key',
    'YOUR_API_KEY_HERE',
    'your_token',
    'xxx',
    'xxxxxxxxxxxxxxxxxxxxxxxx',
    '<token>',
    '<YOUR_GITHUB_TOKEN>',
    '[api key]',
    'changeme',
    'CHANGE_ME',
    '',
    '   ',
    'sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'sk-...',
    `ghp_${'x'.repeat(36)}`,
    'AKIAIOSFODNN7EXAMPLE',
    'Bearer <token>',
    'Bearer YOUR_TOKEN_HERE',
    '****************',
    'replace-me-with-your-key',
    'insert_key_here',
    'placeholder',
  ])('placeholder %j', (value) => {
    expect(detectSecret(value, 'API_KEY')).toBeUndefined()
  })

  it.each<[string, string]>([
    ['LOG_LEVEL', 'debug'],
    ['AUTH_MODE', 'oauth'],
    ['AUTH', 'oauth2'],
    ['AUTH_TYPE', 'bearer'],
    ['DEBUG', 'true'],
    ['GITHUB_TOKEN_ENABLED', 'true'],
    ['API_KEY', 'false'],
    ['PORT', '8080'],
    ['MAX_TOKENS', '4096'],
    ['TOKEN_LIMIT', '200000'],
    ['SESSION_TIMEOUT', '30m'],
    ['TOKEN_FILE', '/run/secrets/github_token'],
    ['GITHUB_TOKEN_PATH', '~/.config/gh/token'],
    ['CREDENTIALS_DIR', 'C:\\Users\\ana\\creds'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/home/ana/.config/gcloud/application_default_credentials.json'],
    ['API_BASE_URL', 'https://api.example.com/v1'],
    ['AUTH_URL', 'https://auth.example.com/oauth/authorize'],
    ['OAUTH_CLIENT_ID', 'Iv1.8a61f9b3a7aba766'],
    ['AWS_ACCESS_KEY_ID_NAME', 'primary'],
    ['AUTHOR', 'Ana Lima Castro'],
    ['PWD', '/home/ana/projects/agentgov'],
    ['PUBLIC_KEY', 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE='],
    ['COOKIE_SAMESITE', 'strict'],
    ['TOKENIZER', 'cl100k_base'],
    ['AWS_REGION', 'us-east-1'],
    ['MODEL', 'claude-sonnet-4-5-20250929'],
    ['NODE_OPTIONS', '--max-old-space-size=4096'],
    ['SECRET_NAME', 'prod/db/credentials'],
    ['PASSWORD_AUTH', 'enabled'],
  ])('%s=%s', (name, value) => {
    expect(detectSecret(value, name)).toBeUndefined()
  })

  it('ignores ordinary words that share a prefix with a format', () => {
    expect(detectSecret('sk-learn-compat-layer-for-models')).toBeUndefined()
    expect(detectSecret('Use Bearer authentication for every request')).toBeUndefined()
    expect(detectSecret('Basic authentication is disabled')).toBeUndefined()
    expect(detectSecret('hf_hub_download_from_the_hub_cache')).toBeUndefined()
    expect(detectSecret('https://github.com/modelcontextprotocol/servers?tab=readme-ov-file#fetch')).toBeUndefined()
    expect(detectSecret('postgres://app:password@localhost:5432/app')).toBeUndefined()
  })

  it('does not judge a value by its name when there is no name', () => {
    expect(detectSecret('hunter22')).toBeUndefined()
    expect(detectSecret(body(32, 50))).toBeUndefined()
  })
})

describe('detectSecret: by key name', () => {
  it.each<[string, string]>([
    ['GITHUB_TOKEN', body(24, 60)],
    ['GITHUB_PERSONAL_ACCESS_TOKEN', body(30, 61)],
    ['SLACK_BOT_TOKEN', 'local-dev-bot-token-2024'],
    ['OPENAI_KEY', body(32, 62)],
    ['apiKey', body(20, 63)],
    ['x-api-key', body(20, 64)],
    ['X-Api-Key', body(20, 65)],
    ['CLIENT_SECRET', body(40, 66)],
    ['SESSION_SECRET', 'keyboard cat is not random'.replaceAll(' ', '-')],
    ['AWS_SECRET_ACCESS_KEY', body(40, 67, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/')],
    ['ENCRYPTION_KEY', body(64, 68, '0123456789abcdef')],
    ['DB_PASSWORD', 'hunter22'],
    ['DB_PASS', 'p@ss w0rd with spaces'],
    ['MYSQL_PWD', 's3cr3t!'],
    ['npm_config__auth', body(24, 69)],
    ['COOKIE', `session=${body(32, 70)}`],
    ['BASIC_AUTH', 'admin:admin123'],
  ])('%s', (name, value) => {
    const hit = detectSecret(value, name)
    expect(hit?.kind).toBe('generic-secret')
    expectGone(hit!.redacted, value)
  })

  it('redacts the credential after an Authorization scheme and keeps the scheme', () => {
    const token = 'abcdefghijklmnopqrstuvwx'
    expect(detectSecret(`Bearer ${token}`, 'Authorization')).toEqual({kind: 'generic-secret', redacted: 'Bearer abcd…[redacted 24 chars]'})
    expect(detectSecret(`token ${body(40, 71)}`, 'Authorization')?.redacted).toMatch(/^token \S+\[redacted 40 chars\]$/)
  })

  it('prefers a known format over the name', () => {
    expect(detectSecret(GITHUB, 'GITHUB_TOKEN')?.kind).toBe('github-token')
    expect(detectSecret(OPENAI, 'OPENAI_API_KEY')?.kind).toBe('openai-api-key')
  })

  it('grades names', () => {
    expect(secretNameStrength('DB_PASSWORD')).toBe('password')
    expect(secretNameStrength('--api-key')).toBe('strong')
    expect(secretNameStrength('accessToken')).toBe('strong')
    expect(secretNameStrength('AUTH')).toBe('weak')
    expect(secretNameStrength('STRIPE_KEY')).toBe('weak')
    expect(secretNameStrength('AUTH_MODE')).toBeUndefined()
    expect(secretNameStrength('TOKEN_FILE')).toBeUndefined()
    expect(secretNameStrength('AUTHOR')).toBeUndefined()
    expect(secretNameStrength('KEYBOARD_LAYOUT')).toBeUndefined()
    expect(secretNameStrength('PASSWORDLESS')).toBeUndefined()
    expect(secretNameStrength('SECRETARY')).toBeUndefined()
  })

  it('knows placeholders', () => {
    expect(isPlaceholder('<your-token>')).toBe(true)
    expect(isPlaceholder(body(30, 72))).toBe(false)
  })
})

describe('redactText', () => {
  it('redacts every secret in a joined command line and leaves the rest byte for byte', () => {
    const line = `npx -y @modelcontextprotocol/server-github --token ${GITHUB} --verbose OPENAI_API_KEY=${OPENAI} --url https://bot:Sup3rS3cret99@h.example/x?page=2&access_token=abcdef123456`
    expect(redactText(line)).toBe(
      `npx -y @modelcontextprotocol/server-github --token ghp_…[redacted 40 chars] --verbose OPENAI_API_KEY=sk-p…[redacted ${OPENAI.length} chars] --url https://bot:[redacted]@h.example/x?page=2&access_token=[redacted]`,
    )
  })

  it('redacts the same secret each time it occurs', () => {
    const out = redactText(`${ANTHROPIC} and again ${ANTHROPIC}`)
    expect(out.match(/\[redacted \d+ chars\]/g)).toHaveLength(2)
    expectGone(out, ANTHROPIC)
  })

  it('redacts assignments in free text: env lines, YAML, JSON, headers', () => {
    const text = [
      'password: correct-horse-9',
      '"apiKey": "k-9f8e7d6c5b4a3921"',
      `Authorization: Bearer ${JWT}`,
      'X-Api-Key: 0123456789abcdef0123',
      'export SERVICE_TOKEN=Zq8Lw2Xv7Nb4Mc1K',
    ].join('\n')
    const out = redactText(text)
    for (const secret of ['correct-horse-9', 'k-9f8e7d6c5b4a3921', JWT, '0123456789abcdef0123', 'Zq8Lw2Xv7Nb4Mc1K']) expectGone(out, secret)
    expect(out).toContain('password: ')
    expect(out).toContain('"apiKey": "')
    expect(out).toContain('Authorization: Bearer ')
    expect(out).toContain('export SERVICE_TOKEN=')
  })

  it('redacts a whole PEM block, headers and all', () => {
    const key = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${body(32, 80, '0123456789ABCDEF')}\n\n${body(64, 81)}\n-----END RSA PRIVATE KEY-----`
    const out = redactText(`key=${key} next`)
    expect(out).toMatch(/^key=----…\[redacted \d+ chars\] next$/)
  })

  it('leaves text without secrets untouched', () => {
    for (const text of [
      'LOG_LEVEL=debug PORT=8080 AUTH_MODE=oauth',
      'Use Bearer authentication with your token.',
      'see https://github.com/org/repo?tab=readme and http://localhost:3000/sse',
      'node /srv/mcp/dist/index.js --port 3000 --log-level info --token-file /run/secrets/token',
      'The max_tokens: 4096 setting and token: none',
      '--api-key ${OPENAI_API_KEY} --password $DB_PASSWORD',
      '',
    ]) {
      expect(redactText(text)).toBe(text)
    }
  })

  it('is idempotent', () => {
    const once = redactText(`--api-key ${OPENAI} https://u:p4ssw0rd!@x.test Bearer ${body(30, 82)}`)
    expect(redactText(once)).toBe(once)
  })

  it('stays fast on adversarial input (no catastrophic backtracking)', () => {
    const inputs = [
      'eyJ'.repeat(70_000),
      'a='.repeat(100_000),
      'x: '.repeat(70_000),
      '-----BEGIN PRIVATE KEY-----'.repeat(8000),
      `-----BEGIN PRIVATE KEY-----${'A'.repeat(200_000)}`,
      'https://'.repeat(25_000),
      'https://a:'.repeat(20_000),
      'Bearer '.repeat(30_000),
      '--token '.repeat(25_000),
      `sk-${'a-'.repeat(100_000)}`,
      'AKIA'.repeat(50_000),
      `${'a'.repeat(200_000)}=`,
      'ghp_'.repeat(50_000),
    ]
    for (const input of inputs) {
      const started = performance.now()
      redactText(input)
      redactUrl(input)
      expect(performance.now() - started, input.slice(0, 20)).toBeLessThan(1500)
    }
  })
})

describe('redactArgs', () => {
  it('redacts the value after a secret-named flag', () => {
    expect(redactArgs(['--token', 'abc123def456ghi7'])).toEqual(['--token', '[redacted]'])
    expect(redactArgs(['--api-key', 'k3yValue-9876-xyz'])).toEqual(['--api-key', '[redacted]'])
    expect(redactArgs(['--password', 'hunter22'])).toEqual(['--password', '[redacted]'])
    expect(redactArgs(['--client-secret', body(40, 90)])[1]).toMatch(/\[redacted 40 chars\]$/)
  })

  it('redacts inline flag values and KEY=value pairs, keeping the name', () => {
    expect(redactArgs(['--api-key=k3yValue-9876-xyz'])).toEqual(['--api-key=[redacted]'])
    expect(redactArgs(['-e', 'GITHUB_TOKEN=abc123def456ghi789'])).toEqual(['-e', 'GITHUB_TOKEN=[redacted]'])
    expect(redactArgs(['--env', 'DB_PASSWORD=semi;colon&amp p'])).toEqual(['--env', 'DB_PASSWORD=[redacted]'])
    expect(redactArgs([`SLACK_BOT_TOKEN=xoxb-${body(12, 91, '0123456789')}-${body(24, 92)}`])[0]).toMatch(/^SLACK_BOT_TOKEN=xoxb…\[redacted \d+ chars\]$/)
  })

  it('redacts headers, bearer tokens, URLs and known formats anywhere', () => {
    const token = body(32, 93)
    const out = redactArgs([
      '-H',
      `Authorization: Bearer ${token}`,
      'https://ci:Pa55w0rd-x@registry.test/simple?token=q9w8e7r6t5y4',
      GITHUB,
      `--header=X-API-Key: ${body(24, 94)}`,
    ])
    expect(out[0]).toBe('-H')
    expect(out[1]).toMatch(/^Authorization: Bearer \S+\[redacted 32 chars\]$/)
    expect(out[2]).toBe('https://ci:[redacted]@registry.test/simple?token=[redacted]')
    expect(out[3]).toBe('ghp_…[redacted 40 chars]')
    expect(out[4]).toMatch(/^--header=X-API-Key: \S+\[redacted 24 chars\]$/)
    expectGone(out.join(' '), token)
  })

  it('leaves ordinary arguments alone', () => {
    const args = [
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/home/ana/projects',
      '--port',
      '8080',
      '--log-level',
      'debug',
      '--auth',
      'oauth',
      '--token-file',
      '/run/secrets/token',
      '--no-auth',
      '-e',
      'GITHUB_TOKEN',
      '--api-key',
      '${API_KEY}',
      '--header',
      'Authorization: Bearer ${TOKEN}',
      '--model',
      'claude-sonnet-4-5-20250929',
      '--password-stdin',
      'registry.example.com',
      'vim',
      'code.txt',
      'https://mcp.linear.app/mcp',
      'LOG_LEVEL=debug',
    ]
    expect(redactArgs(args)).toEqual(args)
  })

  it('keeps the argument count and order', () => {
    const args = ['a', '--token', 'abc123def456ghi7', 'b']
    expect(redactArgs(args)).toHaveLength(4)
    expect(redactArgs(args)[3]).toBe('b')
    expect(args[2]).toBe('abc123def456ghi7')
  })
})

describe('redactUrl', () => {
  it('redacts the password of the userinfo and nothing else', () => {
    expect(redactUrl('https://user:pass1234word@example.com:8443/a/b?q=1#top')).toBe('https://user:[redacted]@example.com:8443/a/b?q=1#top')
  })

  it('redacts secret-looking query and fragment values, keeping other parameters', () => {
    expect(redactUrl('https://x.test/sse?api_key=abc123&page=2&token=xyz789&lang=en')).toBe(
      'https://x.test/sse?api_key=[redacted]&page=2&token=[redacted]&lang=en',
    )
    expect(redactUrl('https://app.test/cb#access_token=q1w2e3r4t5&token_type=bearer&expires_in=3600')).toBe(
      'https://app.test/cb#access_token=[redacted]&token_type=bearer&expires_in=3600',
    )
    expect(redactUrl('https://s3.test/o?X-Amz-Credential=AKIDEXAMPL3%2F2024&X-Amz-Signature=' + body(64, 95, '0123456789abcdef'))).toMatch(
      /X-Amz-Credential=\[redacted\]&X-Amz-Signature=\S+\[redacted 64 chars\]$/,
    )
    expect(redactUrl('https://acct.blob.test/c/b?sv=2022-11-02&sig=' + body(40, 96))).toMatch(/\?sv=2022-11-02&sig=\S+\[redacted 40 chars\]$/)
    expect(redactUrl('https://maps.test/api?key=' + body(30, 97))).toMatch(/\?key=\S+\[redacted 30 chars\]$/)
    expect(redactUrl('https://x.test/?api%5Fkey=abc123xyz')).toBe('https://x.test/?api%5Fkey=[redacted]')
  })

  it('redacts a token used as the whole userinfo', () => {
    expect(redactUrl(`https://${GITHUB}@github.com/org/repo.git`)).toBe('https://ghp_…[redacted 40 chars]@github.com/org/repo.git')
    expect(redactUrl(`https://${body(32, 98)}@git.example.com/x.git`)).toMatch(/^https:\/\/\S+\[redacted 32 chars\]@git\.example\.com\/x\.git$/)
  })

  it('leaves URLs without credentials unchanged, byte for byte', () => {
    for (const url of [
      'https://mcp.linear.app/mcp',
      'HTTPS://Example.COM/a/../b?x=1&y=%20',
      'http://localhost:3000/sse?session=abc',
      'https://api.example.com/v1?key=${env:MAPS_KEY}',
      'https://api.example.com/v1?token=&debug=true',
      'https://git@github.com/org/repo.git',
      'ssh://git@github.com:22/org/repo.git',
      'https://x.test/?auth=none&sort=name',
      'not a url at all',
    ]) {
      expect(redactUrl(url)).toBe(url)
    }
  })
})

describe('the secret-name prefilter', () => {
  // Words the name patterns are built from, look-alikes, and ordinary words, joined the ways names are written.
  const words = ['pass', 'password', 'passwd', 'passphrase', 'pwd', 'token', 'secret', 'api', 'key', 'apiKey', 'access', 'private', 'auth', 'oauth', 'credential', 'credentials', 'cookie', 'authorization', 'session', 'sig', 'signature', 'salt', 'master', 'client', 'id', 'file', 'max', 'public', 'user', 'db', 'x', 'Tok', 'En', 'PassWord', 'AUTH', 'Key']
  const name = fc
    .tuple(fc.array(fc.constantFrom(...words), {minLength: 1, maxLength: 4}), fc.constantFrom('_', '-', '.', '', ' '), fc.constantFrom('--', '', '"'))
    .map(([parts, separator, lead]) => lead + parts.join(separator))

  it('lets through every name that secretNameStrength rates', () => {
    fc.assert(
      fc.property(fc.oneof(name, fc.string({maxLength: 24})), (candidate) => {
        if (secretNameStrength(candidate) !== undefined) expect(SECRET_NAME_WORDS.test(candidate)).toBe(true)
      }),
      {numRuns: 5000},
    )
  })

  it('skips text with no secret word and still redacts a named secret', () => {
    expect(SECRET_NAME_WORDS.test('Echo: hello world')).toBe(false)
    const secret = body(24, 11)
    expect(redactText(`db_password: ${secret}`)).not.toContain(secret)
    expect(redactText(`--auth-token=${secret}`)).not.toContain(secret)
  })
})
