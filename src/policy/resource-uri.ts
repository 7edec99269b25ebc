/**
 * The subject a `resources/read` is decided on. A `file:` URI names a file, so it is decided on the
 * file it names rather than on its spelling: `file:///r/public/../secret/k`, `%2e%2e` and `//`
 * tricks must meet the rules for `/r/secret`. Servers read file URIs in two common ways, the WHATWG
 * URL parser (Node's `new URL` + `fileURLToPath`: dot segments, also `%2e`, resolved on the URL's
 * segments, `\` read as `/`) and RFC 8089 read plainly (percent-decode the path once, then the
 * platform resolves it). Both readings are taken and must agree; so must the spelling be plain
 * (no query or fragment, no encoded or literal separator in a name, a local host). Otherwise the URI
 * cannot be decided, and the resource is refused. Other schemes are compared as written.
 */
import {fileURLToPath} from 'node:url'

import {normalisePath, type PathOptions} from './paths.js'

const FILE_SCHEME = /^file:/i
// file:///p, file://localhost/p and RFC 8089's short file:/p.
const PLAIN_FILE = /^file:(?:\/\/(?:localhost)?(?=\/))?(\/[^?#]*)$/i
const ENCODED_SEPARATOR = /%(?:2f|5c)/i

/** The URI as decided on: `file://` + the normalised path for file URIs; undefined when it cannot be told. */
export function resourceSubject(uri: string, options: PathOptions): string | undefined {
  if (!FILE_SCHEME.test(uri)) return uri
  const parsed = whatwgReading(uri, options)
  const plain = plainReading(uri, options)
  if (parsed === undefined || plain === undefined || parsed !== plain) return undefined
  return `file://${parsed.startsWith('/') ? '' : '/'}${parsed}`
}

function whatwgReading(uri: string, options: PathOptions): string | undefined {
  try {
    const url = new URL(uri)
    if (url.host !== '' || url.search !== '' || url.hash !== '') return undefined
    return normalisePath(fileURLToPath(url, {windows: options.windows === true}), options)
  } catch {
    // A remote host, an encoded `/`, malformed escapes: not a local file this proxy can place.
    return undefined
  }
}

function plainReading(uri: string, options: PathOptions): string | undefined {
  const match = PLAIN_FILE.exec(uri)
  if (!match || ENCODED_SEPARATOR.test(match[1]) || match[1].includes('\\')) return undefined
  let path: string
  try {
    path = decodeURIComponent(match[1])
  } catch {
    return undefined
  }

  // file:///C:/x names C:/x on Windows.
  if (options.windows && /^\/[a-zA-Z]:\//.test(path)) path = path.slice(1)
  return normalisePath(path, options)
}
