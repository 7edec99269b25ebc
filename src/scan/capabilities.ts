/**
 * What a tool can do in a toxic flow, as data: the words in its name, its description and its
 * parameters, and its annotations, that say it brings untrusted content in, reads private data, or
 * sends data out. Each signal carries the sentence shown as the reason.
 */
export type Capability = 'untrusted-input' | 'private-data' | 'public-sink'

export const CAPABILITY_LABEL: Record<Capability, string> = {
  'untrusted-input': 'brings untrusted content in',
  'private-data': 'reads private data',
  'public-sink': 'sends data out',
}

interface Signal {
  capability: Capability
  /** name: the tool's name split into words (`fetchUrl`, `fetch_url` → "fetch url"); text: its description and title; param: its parameter names. */
  where: 'name' | 'param' | 'text'
  pattern: RegExp
  why: string
}

const w = (words: string) => new RegExp(String.raw`(?<![a-z])(?:${words})(?![a-z])`, 'i')

export const SIGNALS: readonly Signal[] = [
  // Untrusted content: the web, mail, issue trackers, chat.
  {capability: 'untrusted-input', where: 'name', pattern: w('fetch|browse|browser|scrape|crawl|navigate|web|url|http|webpage|rss|feed'), why: 'its name says it reads from the web'},
  {capability: 'untrusted-input', where: 'name', pattern: w(String.raw`(?:read|get|list|search|fetch)\s(?:\w+\s)?(?:emails?|mails?|inbox|messages?|issues?|comments?|tickets?|posts?|tweets?|channels?|threads?)`), why: 'its name says it reads mail, messages or issues'},
  {capability: 'untrusted-input', where: 'text', pattern: w(String.raw`web\s?pages?|websites?|the\s(?:web|internet)|any\surl|a\surl|from\s(?:a\s|the\s)?url|html\scontent|search\sresults|rss|inbox|incoming\s(?:e-?mails?|messages?)|(?:github|gitlab|jira|linear)\sissues?|issue\scomments?|slack\smessages?|discord|chat\smessages?`), why: 'its description says it reads web pages, mail, issues or chat'},
  {capability: 'untrusted-input', where: 'param', pattern: w('url|uri|href|link'), why: 'it takes a URL to read'},
  // Private data: files, repositories, databases, secrets.
  {capability: 'private-data', where: 'name', pattern: w(String.raw`(?:read|get|list|search|open|cat|view|find)\s(?:\w+\s)?(?:files?|director(?:y|ies)|folders?|docs?|documents?|notes?|repos?|repositor(?:y|ies)|contents?)|query|sql|database|db|secrets?|vault|credentials?|passwords?|keychain|env|environment|calendar|contacts?|drive`), why: 'its name says it reads files, repositories, databases or secrets'},
  {capability: 'private-data', where: 'text', pattern: w(String.raw`(?:the\s)?(?:local\s)?file\s?system|contents?\sof\s(?:a|the)\s(?:file|directory)|files?\son\s(?:disk|the\smachine)|private\srepositor(?:y|ies)|database|sql\squer(?:y|ies)|environment\svariables?|secrets?\smanager|password\s(?:store|manager)|credentials?\sstore|api\skeys?\sstored`), why: 'its description says it reads files, databases, private repositories or secrets'},
  {capability: 'private-data', where: 'param', pattern: w(String.raw`path|paths|file\s?path|filename|directory|sql|query\s?string`), why: 'it takes a file path or a query'},
  // Sending data out: HTTP, mail, messages, public writes.
  {capability: 'public-sink', where: 'name', pattern: w(String.raw`send|post|publish|tweet|upload|webhook|notify|share|sms|(?:create|add|write|open)\s(?:\w+\s)?(?:issues?|comments?|pull\srequests?|prs?|gists?|posts?|messages?|pages?)|push|http\s(?:request|post)|request`), why: 'its name says it sends, posts or publishes'},
  {capability: 'public-sink', where: 'text', pattern: w(String.raw`sends?\s(?:an?\s)?(?:e-?mails?|messages?|requests?|data|notifications?)|posts?\s(?:a\s|the\s)?(?:message|comment|tweet|data|to)|publish(?:es)?|webhooks?|http\s(?:post|request)s?|to\sany\surl|uploads?|public\s(?:gists?|repositor(?:y|ies)|channels?)`), why: 'its description says it sends data out'},
  {capability: 'public-sink', where: 'param', pattern: w(String.raw`to|recipients?|channel|webhook|webhook\surl|endpoint|cc|bcc`), why: 'it takes a recipient, channel or endpoint'},
]

export interface Classified {
  capability: Capability
  why: string
}

/** The tool's name in words: `fetchUrl`, `fetch_url`, `fetch-url` → "fetch url". */
export function nameWords(name: string): string {
  return name
    .replaceAll(/([a-z\d])([A-Z])/g, '$1 $2')
    .replaceAll(/[_\-.\s/]+/g, ' ')
    .toLowerCase()
    .trim()
}

/**
 * What a tool can do, with the evidence. Annotations are the server's own word (a hostile server
 * may lie in both directions), so they add to what the name and description say and never remove.
 */
export function classifyTool(tool: Record<string, unknown>): Classified[] {
  const name = nameWords(String(tool.name ?? ''))
  const text = [tool.title, tool.description].filter((t) => typeof t === 'string').join('\n').slice(0, 20_000)
  const params = paramNames(tool.inputSchema).map(nameWords)
  const found = new Map<Capability, string>()
  const add = (capability: Capability, why: string) => {
    if (!found.has(capability)) found.set(capability, why)
  }

  for (const signal of SIGNALS) {
    if (found.has(signal.capability)) continue
    if (signal.where === 'name' && signal.pattern.test(name)) add(signal.capability, `${signal.why} ("${tool.name}")`)
    if (signal.where === 'text' && signal.pattern.test(text)) add(signal.capability, `${signal.why} ("${signal.pattern.exec(text)?.[0]}")`)
    if (signal.where === 'param') {
      const param = params.find((p) => signal.pattern.test(p) && signal.pattern.exec(p)?.[0] === p)
      if (param !== undefined) add(signal.capability, `${signal.why} (parameter "${param}")`)
    }
  }

  const annotations = (typeof tool.annotations === 'object' && tool.annotations !== null ? tool.annotations : {}) as Record<string, unknown>
  if (annotations.openWorldHint === true && annotations.readOnlyHint === true) add('untrusted-input', 'its annotations say it reads from an open world (openWorldHint, readOnlyHint)')
  if (annotations.openWorldHint === true && annotations.readOnlyHint === false) add('public-sink', 'its annotations say it writes to an open world (openWorldHint, not readOnlyHint)')
  return [...found].map(([capability, why]) => ({capability, why}))
}

/** Parameter names of an input schema's top level (what the model fills in). */
function paramNames(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return []
  const properties = (schema as {properties?: unknown}).properties
  return typeof properties === 'object' && properties !== null ? Object.keys(properties).slice(0, 200) : []
}
