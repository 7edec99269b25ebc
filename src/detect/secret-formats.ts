/**
 * Well-known credential formats, one row per format: the provider (`kind`), a pattern, the literal
 * text every match contains (`hints`, a cheap skip for large texts) and, where the format carries
 * one, a checksum. Patterns are written without flags (compiled with `gd`) and stay linear: each
 * starts with a literal prefix behind a look-behind that allows one start per run of token
 * characters, and repeats only character classes.
 */
export interface SecretFormat {
  kind: string
  /** When the pattern has a `secret` named group, only that part is the secret (`Bearer <secret>`). */
  pattern: RegExp
  /** The prefix also occurs in ordinary words (`sk-learn`, `Bearer authentication`): demand a random-looking body. */
  random?: boolean
  hints: readonly string[]
  /** A checksum the format carries: a match that fails it is still redacted, but not `verified`. */
  verify?: (secret: string) => boolean
}

// No token character before the match: one candidate start per run, and no match inside a longer word.
const B = String.raw`(?<![A-Za-z0-9_-])`
// And none after, for fixed-length bodies.
const E = String.raw`(?![A-Za-z0-9_-])`
const re = (source: string): RegExp => new RegExp(source)
const prefixed = (kind: string, prefix: string, body: string, extra: Partial<SecretFormat> = {}): SecretFormat => ({
  kind,
  hints: [prefix.replaceAll('\\', '')],
  pattern: re(`${B}${prefix}${body}`),
  ...extra,
})

// ---------------------------------------------------------------------------------------------------
// Checksums

const CRC_TABLE = Int32Array.from({length: 256}, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xed_b8_83_20 ^ (c >>> 1) : c >>> 1
  return c
})

export function crc32(text: string): number {
  let crc = -1
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function base62(value: number, width: number): string {
  let out = ''
  for (let v = value; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out
  return out.padStart(width, '0')
}

/** GitHub's and npm's tokens: 30 random base62 characters, then the CRC32 of them in 6 base62 characters. */
export function crc32Base62Valid(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength)
  if (body.length !== 36) return false
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30)
}

// ---------------------------------------------------------------------------------------------------
// The catalogue

export const SECRET_FORMATS: readonly SecretFormat[] = [
  {
    hints: ['-----BEGIN'],
    kind: 'private-key',
    // The body (base64, `Proc-Type: 4,ENCRYPTED` headers, escaped `\n`) up to and with the END line;
    // a single dash never starts a run of five, so each character is consumed once.
    pattern:
      /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----))*(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)?/,
  },
  {hints: ['AGE-SECRET-KEY-1'], kind: 'age-secret-key', pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/},
  // Source control and CI
  {hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], kind: 'github-token', pattern: re(`${B}gh[pousr]_[A-Za-z0-9]{30,}`), verify: (t) => crc32Base62Valid(t, 4)},
  prefixed('github-token', 'github_pat_', '[A-Za-z0-9_]{40,}'),
  {hints: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glimt-', 'glft-', 'glsoat-'], kind: 'gitlab-token', pattern: re(`${B}gl(?:pat|dt|rt|ptt|cbt|imt|ft|soat)-[A-Za-z0-9_-]{20,}`)},
  prefixed('bitbucket-token', 'ATBB', '[A-Za-z0-9_=.-]{32,}'),
  prefixed('atlassian-api-token', 'ATATT3', '[A-Za-z0-9_=-]{100,}'),
  prefixed('buildkite-token', 'bkua_', '[a-f0-9]{40}'),
  prefixed('circleci-token', 'CCIPAT_', '[A-Za-z0-9]{22}_[a-f0-9]{40}'),
  prefixed('sonarqube-token', 'sq[pua]_', '[a-f0-9]{40}', {hints: ['sqp_', 'squ_', 'sqa_']}),
  prefixed('sourcegraph-token', 'sgp_', '(?:[a-f0-9]{16}_)?[a-f0-9]{40}'),
  prefixed('octopus-deploy-key', 'API-', `[A-Z0-9]{26}${E}`),
  prefixed('jfrog-api-key', 'AKCp', '[A-Za-z0-9]{69}'),
  prefixed('harness-token', 'pat\\.', '[A-Za-z0-9_-]{22}\\.[a-f0-9]{24}\\.[A-Za-z0-9]{20}'),
  // Chat, mail and messaging
  {hints: ['xox'], kind: 'slack-token', pattern: re(`${B}xox[abposr]-[A-Za-z0-9-]{10,}`), random: true},
  prefixed('slack-app-token', 'xapp-', '\\d-[A-Z0-9]{9,}-\\d{6,}-[a-f0-9]{20,}'),
  {hints: ['hooks.slack.com'], kind: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<secret>[A-Za-z0-9_/-]{20,})/},
  {hints: ['discord'], kind: 'discord-webhook', pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/(?<secret>[A-Za-z0-9_-]{20,})/},
  {hints: ['.'], kind: 'discord-bot-token', pattern: re(`${B}[MNO][A-Za-z0-9]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}${E}`), random: true},
  {hints: [':AA'], kind: 'telegram-bot-token', pattern: re(`(?<![0-9])\\d{8,10}:AA[A-Za-z0-9_-]{33}${E}`)},
  prefixed('sendgrid-api-key', 'SG\\.', `[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`),
  prefixed('mailgun-api-key', 'key-', `[0-9a-f]{32}${E}`),
  {hints: ['-us'], kind: 'mailchimp-api-key', pattern: re(`${B}[0-9a-f]{32}-us\\d{1,2}${E}`)},
  prefixed('brevo-api-key', 'xkeysib-', '[a-f0-9]{64}-[A-Za-z0-9]{16}'),
  prefixed('mailersend-token', 'mlsn\\.', '[a-f0-9]{64}'),
  prefixed('resend-api-key', 're_', `[A-Za-z0-9]{8}_[A-Za-z0-9]{24}${E}`),
  prefixed('twilio-api-key', 'SK', `[0-9a-f]{32}${E}`),
  prefixed('intercom-token', 'dG9rOj', '[A-Za-z0-9+/=_-]{30,}'),
  // Clouds
  {hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], kind: 'aws-access-key-id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/},
  {hints: ['AIza'], kind: 'google-api-key', pattern: re(`${B}AIza[A-Za-z0-9_-]{35}${E}`)},
  prefixed('google-oauth-access-token', 'ya29\\.', '[A-Za-z0-9_-]{20,}'),
  prefixed('google-oauth-client-secret', 'GOCSPX-', '[A-Za-z0-9_-]{28}'),
  {hints: ['AccountKey='], kind: 'azure-storage-key', pattern: /AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/},
  {hints: ['Q~'], kind: 'azure-ad-client-secret', pattern: re(`${B}[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}${E}`)},
  prefixed('alibaba-access-key-id', 'LTAI', `[A-Za-z0-9]{20}${E}`),
  prefixed('tencent-secret-id', 'AKID', `[A-Za-z0-9]{32}${E}`),
  prefixed('yandex-api-key', 'AQVN', '[A-Za-z0-9_-]{35,38}'),
  prefixed('digitalocean-token', 'do[opr]_v1_', '[a-f0-9]{64}', {hints: ['dop_v1_', 'doo_v1_', 'dor_v1_']}),
  prefixed('heroku-api-key', 'HRKU-', '[A-Za-z0-9_-]{40,}'),
  prefixed('flyio-token', 'fo1_', '[A-Za-z0-9_-]{43}'),
  {hints: ['FlyV1 fm'], kind: 'flyio-token', pattern: /FlyV1 (?<secret>fm\d_[A-Za-z0-9+/=_,-]{50,})/},
  prefixed('netlify-token', 'nfp_', '[A-Za-z0-9]{36}'),
  prefixed('render-api-key', 'rnd_', '[A-Za-z0-9]{32}'),
  prefixed('vercel-blob-token', 'vercel_blob_rw_', '[A-Za-z0-9]{16}_[A-Za-z0-9]{30}'),
  prefixed('deno-deploy-token', 'dd[pw]_', '[A-Za-z0-9]{36}', {hints: ['ddp_', 'ddw_']}),
  prefixed('cloudflare-origin-ca-key', 'v1\\.0-', '[a-f0-9]{24}-[a-f0-9]{146}'),
  prefixed('tailscale-key', 'tskey-', '(?:api|auth|client|webhook|scim)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{20,}'),
  prefixed('terraform-cloud-token', '', '[a-z0-9]{14}\\.atlasv1\\.[a-z0-9_=-]{60,}', {hints: ['.atlasv1.']}),
  prefixed('vault-token', 'hv[sb]\\.', '[A-Za-z0-9_-]{90,}', {hints: ['hvs.', 'hvb.']}),
  prefixed('doppler-token', 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.', '[A-Za-z0-9]{40,44}', {hints: ['dp.']}),
  prefixed('pulumi-token', 'pul-', '[a-f0-9]{40}'),
  prefixed('infracost-key', 'ico-', '[A-Za-z0-9]{32}'),
  prefixed('planetscale-token', 'pscale_(?:tkn|pw|oauth)_', '[A-Za-z0-9_.-]{32,64}', {hints: ['pscale_']}),
  prefixed('supabase-token', 'sbp_', '[a-f0-9]{40}'),
  prefixed('supabase-secret-key', 'sb_secret_', '[A-Za-z0-9_-]{20,}'),
  prefixed('neon-api-key', 'napi_', '[a-z0-9]{64}'),
  prefixed('databricks-token', 'dapi', `[a-f0-9]{32}(?:-\\d)?${E}`),
  prefixed('dynatrace-token', 'dt0c01\\.', '[A-Z0-9]{24}\\.[A-Z0-9]{64}'),
  prefixed('new-relic-key', 'NR(?:AK|II|JS)-', '[A-Za-z0-9]{19,32}', {hints: ['NRAK-', 'NRII-', 'NRJS-']}),
  prefixed('sentry-token', 'sntry[us]_', '[A-Za-z0-9+/=_]{40,}', {hints: ['sntrys_', 'sntryu_']}),
  prefixed('grafana-token', 'gl(?:sa|c)_', '[A-Za-z0-9+/=_]{32,}', {hints: ['glsa_', 'glc_']}),
  prefixed('prefect-token', 'pnu_', '[A-Za-z0-9]{36}'),
  prefixed('scalingo-token', 'tk-us-', '[A-Za-z0-9_-]{48}'),
  prefixed('onepassword-service-token', 'ops_eyJ', '[A-Za-z0-9+/=_-]{200,}'),
  // Packages
  {hints: ['npm_'], kind: 'npm-token', pattern: re(`${B}npm_[A-Za-z0-9]{36,}`), verify: (t) => crc32Base62Valid(t, 4)},
  prefixed('pypi-token', 'pypi-AgEIcHlwaS5vcmc', '[A-Za-z0-9_-]{50,}'),
  prefixed('rubygems-token', 'rubygems_', '[a-f0-9]{48}'),
  prefixed('clojars-token', 'CLOJARS_', '[a-z0-9]{60}'),
  prefixed('nuget-api-key', 'oy2', `[a-z0-9]{43}${E}`),
  prefixed('docker-hub-token', 'dckr_(?:pat|oat)_', '[A-Za-z0-9_-]{27,}', {hints: ['dckr_pat_', 'dckr_oat_']}),
  // AI providers
  prefixed('anthropic-api-key', 'sk-ant-', '[A-Za-z0-9_-]{20,}'),
  prefixed('openrouter-api-key', 'sk-or-v1-', '[a-f0-9]{64}'),
  {hints: ['sk-'], kind: 'openai-api-key', pattern: re(`${B}sk-(?!ant-|or-v1-)[A-Za-z0-9_-]{20,}`), random: true},
  prefixed('groq-api-key', 'gsk_', '[A-Za-z0-9]{20,}'),
  {hints: ['hf_'], kind: 'huggingface-token', pattern: re(`${B}hf_[A-Za-z0-9]{30,}`), random: true},
  prefixed('perplexity-api-key', 'pplx-', '[A-Za-z0-9]{40,}'),
  prefixed('replicate-token', 'r8_', '[A-Za-z0-9]{37}'),
  prefixed('xai-api-key', 'xai-', '[A-Za-z0-9]{70,}'),
  prefixed('tavily-api-key', 'tvly-', '(?:dev-|prod-)?[A-Za-z0-9]{32}'),
  prefixed('langsmith-key', 'lsv2_(?:pt|sk)_', '[a-f0-9]{32}_[a-f0-9]{10}', {hints: ['lsv2_']}),
  prefixed('pinecone-api-key', 'pcsk_', '[A-Za-z0-9_]{50,}'),
  prefixed('firecrawl-api-key', 'fc-', `[a-f0-9]{32}${E}`),
  prefixed('elevenlabs-api-key', 'sk_', `[a-f0-9]{48}${E}`),
  prefixed('fireworks-api-key', 'fw_', `[A-Za-z0-9]{24}${E}`),
  prefixed('nvidia-api-key', 'nvapi-', '[A-Za-z0-9_-]{64}'),
  prefixed('cerebras-api-key', 'csk-', '[a-z0-9]{48}'),
  prefixed('jina-api-key', 'jina_', '[A-Za-z0-9_-]{60,}'),
  prefixed('browserbase-api-key', 'bb_live_', '[A-Za-z0-9_-]{20,}'),
  // Work tools
  prefixed('notion-token', 'ntn_', '[A-Za-z0-9]{40,}'),
  {hints: ['secret_'], kind: 'notion-token', pattern: re(`${B}secret_[A-Za-z0-9]{43}${E}`), random: true},
  prefixed('linear-api-key', 'lin_api_', '[A-Za-z0-9]{40}'),
  prefixed('linear-oauth-token', 'lin_oauth_', '[a-f0-9]{64}'),
  prefixed('figma-token', 'fig[du]_', '[A-Za-z0-9_-]{40,}', {hints: ['figd_', 'figu_']}),
  prefixed('airtable-token', 'pat', `[A-Za-z0-9]{14}\\.[a-f0-9]{64}${E}`),
  prefixed('postman-api-key', 'PMAK-', '[a-f0-9]{24}-[a-f0-9]{34}'),
  prefixed('hubspot-token', 'pat-(?:na|eu)\\d-', '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}', {hints: ['pat-na', 'pat-eu']}),
  prefixed('contentful-token', 'CFPAT-', '[A-Za-z0-9_-]{43}'),
  prefixed('typeform-token', 'tfp_', '[A-Za-z0-9_.-]{50,}'),
  prefixed('readme-api-key', 'rdme_', '[a-z0-9]{70}'),
  prefixed('adafruit-io-key', 'aio_', `[A-Za-z0-9]{28}${E}`),
  prefixed('frameio-token', 'fio-u-', '[A-Za-z0-9_=-]{64}'),
  prefixed('dropbox-token', 'sl\\.', '[A-Za-z0-9._-]{130,}'),
  prefixed('mapbox-secret-token', 'sk\\.eyJ', '[A-Za-z0-9_-]{50,}\\.[A-Za-z0-9_-]{20,}'),
  prefixed('facebook-access-token', 'EAA', `[A-Za-z0-9]{100,}${E}`, {random: true}),
  // Payments
  prefixed('stripe-secret-key', '[rs]k_(?:live|test)_', '[A-Za-z0-9]{16,}', {hints: ['k_live_', 'k_test_']}),
  prefixed('stripe-webhook-secret', 'whsec_', '[A-Za-z0-9]{32,}'),
  prefixed('shopify-token', 'shp(?:at|ca|pa|ss)_', '[a-fA-F0-9]{32}', {hints: ['shpat_', 'shpca_', 'shppa_', 'shpss_']}),
  prefixed('square-token', 'sq0(?:atp|csp)-', '[A-Za-z0-9_-]{22,43}', {hints: ['sq0atp-', 'sq0csp-']}),
  prefixed('square-access-token', 'EAAA', `[A-Za-z0-9_-]{60}${E}`),
  prefixed('braintree-token', 'access_token\\$production\\$', '[a-z0-9]{16}\\$[a-f0-9]{32}', {hints: ['access_token$production$']}),
  prefixed('shippo-token', 'shippo_(?:live|test)_', '[a-f0-9]{40}', {hints: ['shippo_']}),
  prefixed('flutterwave-key', 'FLWSECK(?:_TEST)?-', '[a-f0-9]{32}-X', {hints: ['FLWSECK']}),
  prefixed('gocardless-token', 'live_', `[A-Za-z0-9_=-]{40}${E}`, {random: true}),
  prefixed('plaid-access-token', 'access-(?:sandbox|development|production)-', '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}', {hints: ['access-']}),
  // Generic shapes
  {hints: ['eyJ'], kind: 'jwt', pattern: re(`${B}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*`)},
  {hints: ['earer'], kind: 'bearer-token', pattern: re(`${B}[Bb]earer[ \\t]+(?<secret>[A-Za-z0-9._~+/-]{8,}=*)`), random: true},
  {hints: ['asic'], kind: 'basic-auth', pattern: re(`${B}[Bb]asic[ \\t]+(?<secret>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])`), random: true},
  {
    hints: ['://'],
    kind: 'url-credentials',
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/?#@"'<>]{0,256}:(?<secret>[^\s/?#@"'<>]{1,256})@/,
  },
]
