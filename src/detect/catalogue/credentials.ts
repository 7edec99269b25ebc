/** Where credentials live on a machine, and what they are called: the words of a credential request. */
export const CREDENTIAL_STORES = [
  '~/.ssh', '.ssh/', '$home/.ssh', 'id rsa', 'id ed25519', 'id ecdsa', 'id dsa', 'ssh key', 'ssh keys', 'ssh private key', 'private key',
  'private keys', '~/.aws', '.aws/credentials', 'aws credentials', '.npmrc', '.pypirc', '.netrc', '.git-credentials', '.gitconfig',
  '.docker/config.json', '.kube/config', 'kubeconfig', '.env', '.env file', '.env files', 'dotenv', '/etc/shadow', '/etc/passwd', 'keychain',
  'keyring', 'credential manager', 'wallet.dat', 'seed phrase', 'recovery phrase', 'mnemonic', 'gpg key', 'pgp key', '.gnupg', 'cookies',
  'cookie', 'session cookie', 'session cookies', 'browser cookies', 'cookie jar', 'cookies.sqlite', 'login data', 'saved passwords',
  'browser passwords', 'password manager', 'hosts.yml', '.config/gh', 'mcp.json', 'claude desktop config.json', 'environment variables',
  'environment variable', 'env vars', 'env var', 'process.env', 'os.environ', 'printenv', 'secrets manager', 'vault token', 'oauth token',
  'oauth tokens', 'refresh token', 'refresh tokens', 'session token', 'session tokens', '2fa code', '2fa codes', 'otp code', 'one-time code',
  'totp secret', 'master password', 'root password', 'admin password', 'service account key', 'credentials.json', 'token.json',
  'application default credentials', 'auth.json', '.bash history', '.zsh history', 'shell history',
]

/** Words for a credential that alone say nothing about whose it is. */
export const CREDENTIAL_WORDS = [
  'api key', 'api keys', 'apikey', 'apikeys', 'access key', 'access keys', 'secret key', 'secret keys', 'token', 'tokens', 'access token',
  'access tokens', 'auth token', 'auth tokens', 'bearer token', 'password', 'passwords', 'passphrase', 'credential', 'credentials', 'secret',
  'secrets', 'key', 'keys', 'pat', 'personal access token', 'personal access tokens', 'login', 'logins',
]

/** Whose: a credential that is not the one this tool asks for ("the user's", "all", "any stored"). */
export const OTHER_OWNER = [
  "the user's", "user's", 'users', 'all', 'any', 'every', 'other', 'stored', 'saved', 'cached', 'local', 'existing', 'their', "the system's",
  'system', 'available', 'found', 'remaining', 'the machine', "the machine's", "the host's", 'the current', "everyone's", 'all of the',
]

/** Verbs that get hold of something (base forms: a description of what a tool does uses "reads"). */
export const TAKE_VERBS = [
  'read', 'cat', 'open', 'load', 'fetch', 'retrieve', 'obtain', 'collect', 'gather', 'grab', 'extract', 'harvest', 'steal', 'scrape', 'dump',
  'look up', 'locate', 'search for', 'find', 'access', 'export', 'echo', 'print', 'output', 'reveal', 'get', 'check', 'enumerate', 'scan for',
  'copy', 'inspect', 'view', 'show me',
]

/** Verbs that hand something over to a parameter, a request or a place. */
export const PASS_VERBS = [
  'pass', 'include', 'provide', 'send', 'share', 'attach', 'paste', 'supply', 'give', 'add', 'append', 'put', 'insert', 'embed', 'forward',
  'upload', 'post', 'submit', 'transmit', 'relay', 'deliver', 'place', 'fill', 'populate', 'set', 'store', 'write', 'save', 'log', 'copy',
  'report', 'return', 'email', 'mail', 'leak', 'exfiltrate', 'encode', 'prepend', 'mirror', 'sync', 'push', 'pipe', 'dump', 'hand over',
]
