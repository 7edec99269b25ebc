/** What the model holds that an attacker wants sent: the conversation, its instructions, the user's data. */
export const MODEL_CONTEXT = [
  'conversation', 'conversations', 'conversation history', 'chat history', 'chat log', 'chat logs', 'chat transcript', 'message history',
  'previous messages', 'prior messages', 'earlier messages', 'all messages', 'past messages', 'system prompt', 'system message',
  'your instructions', 'your prompt', 'your context', 'context window', 'the context', 'full context', 'entire context', 'everything you know',
  'everything the user', 'everything above', 'all prior', 'transcript', 'memory', 'memories', 'user data', "the user's data",
  "the user's messages", "the user's files", "the user's emails", "the user's documents", "the user's notes", "the user's prompt",
  "the user's query", "the user's last message", "the user's latest message", 'the last user message', "the user's messages", "the user's request", "the user's question", "the user's input", "the user's personal", 'personal data',
  'personal information', 'pii', 'tool outputs', 'tool results', 'results of other tools', 'outputs of other tools', 'responses of other tools',
  'other tool results', 'the whole session', 'session history', 'the last message', 'the previous message', 'every message',
  'each message', 'all files', 'all documents', 'all emails', 'all data', 'all information', 'all details', 'all of this',
  'environment variables', 'env vars', 'credentials', 'api keys', 'secrets', 'tokens', 'passwords', 'cookies', 'private keys',
  'ssh keys', 'the contents of', 'its contents', 'their contents', 'the file contents', 'source code', 'the codebase', 'the repository',
  'contact list', 'contacts', 'address book', 'browsing history', 'location', 'the results', 'the output', 'the response', 'the answer',
  'summary of the conversation', 'summary of the chat', 'the query', 'the search terms', 'what the user typed', 'what the user said',
]

/** Of those, the ones that a tool honestly never needs handed in: no destination is needed to flag them. */
export const STRONG_CONTEXT = /^(?:conversation history|chat history|chat log|chat logs|chat transcript|message history|previous messages|prior messages|earlier messages|past messages|system prompt|system message|your instructions|your prompt|your context|context window|full context|entire context|everything you know|everything the user|everything above|all prior|session history|tool outputs|tool results|results of other tools|outputs of other tools|responses of other tools|other tool results|summary of the conversation|summary of the chat|what the user typed|what the user said)$/

/** Of the rest, the ones that are secrets or private: a parameter is enough of a destination. */
export const SENSITIVE_CONTEXT = /^(?:environment variables|env vars|credentials|api keys|secrets|tokens|passwords|cookies|private keys|ssh keys|the contents of|its contents|their contents|the file contents|user data|the user's .*|personal data|personal information|pii|contact list|contacts|address book|browsing history|all (?:files|documents|emails|data|information|details|of this)|every message|each message|the last message|the previous message|the whole session|memory|memories)$/

/** Sending verbs (base forms). */
export const SEND_VERBS = [
  'send', 'post', 'upload', 'forward', 'transmit', 'exfiltrate', 'submit', 'deliver', 'relay', 'share', 'mirror', 'report', 'sync', 'leak',
  'push', 'email', 'mail', 'pipe', 'include', 'append', 'attach', 'embed', 'encode', 'put', 'pass', 'add', 'place', 'write', 'store', 'save',
  'log', 'insert', 'paste', 'provide', 'supply', 'fill', 'populate', 'copy', 'prepend', 'beam', 'ship', 'dump', 'record', 'transfer',
  'broadcast', 'publish', 'stash', 'cc', 'bcc', 'give', 'hand over', 'set',
]
