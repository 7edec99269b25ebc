/**
 * Path normalisation for the `under` / `not_under` conditions. An agent controls the argument, so
 * every spelling that reaches the same file must compare the same: `~`, `..`, `.`, duplicate
 * slashes, backslashes, percent-encoding (repeated), `file://` URIs and full-width look-alikes.
 * A path that cannot be placed (relative, `~user`, malformed encoding, NUL) normalises to undefined,
 * and conditions on it are undecided rather than false (see conditions.ts).
 */
import {hasInvisible} from './canonical.js'

export interface PathOptions {
  home: string
  /** Case-insensitive comparison on file systems that are (macOS, Windows). */
  caseInsensitive: boolean
}

const MAX_DECODE_ROUNDS = 4
// Already normal: absolute, printable ASCII without `%` or `\\`, no empty, `.` or `..` segment.
const NORMAL = /^(?:\/(?!\.{1,2}(?:\/|$))[\x20-\x24\x26-\x2e\x30-\x5b\x5d-\x7e]+)+$/

// Several rules of one call often test the same argument: remember the last answer.
let lastRaw = ''
let lastOptions: PathOptions | undefined
let lastResult: string | undefined

export function normalisePath(raw: string, options: PathOptions): string | undefined {
  if (raw === lastRaw && options === lastOptions) return lastResult
  const result = NORMAL.test(raw) ? (options.caseInsensitive ? raw.toLowerCase() : raw) : slowNormalise(raw, options)
  lastRaw = raw
  lastOptions = options
  lastResult = result
  return result
}

function slowNormalise(raw: string, options: PathOptions): string | undefined {
  if (raw.length === 0 || raw.includes('\0')) return undefined
  let text = raw.normalize('NFKC')
  if (hasInvisible(text)) return undefined
  for (let round = 0; text.includes('%'); round++) {
    if (round === MAX_DECODE_ROUNDS) return undefined
    try {
      text = decodeURIComponent(text)
    } catch {
      return undefined
    }

    text = text.normalize('NFKC')
    if (text.includes('\0') || hasInvisible(text)) return undefined
  }

  if (/^file:/i.test(text)) {
    const match = /^file:\/\/([^/]*)(\/.*)?$/i.exec(text)
    if (!match || (match[1] !== '' && match[1].toLowerCase() !== 'localhost')) return undefined
    text = match[2] ?? '/'
  }

  text = text.replaceAll('\\', '/')
  if (text === '~' || text.startsWith('~/')) text = options.home.replaceAll('\\', '/') + text.slice(1)
  else if (text.startsWith('~')) return undefined

  let root: string
  let rest: string
  const drive = /^([a-zA-Z]):\//.exec(text)
  if (drive) {
    root = `${drive[1].toLowerCase()}:`
    rest = text.slice(2)
  } else if (text.startsWith('/')) {
    root = ''
    rest = text
  } else {
    return undefined
  }

  const parts: string[] = []
  for (const segment of rest.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') parts.pop()
    else parts.push(segment)
  }

  const joined = `${root}/${parts.join('/')}`
  return options.caseInsensitive ? joined.toLowerCase() : joined
}

/** `path` is `base` or inside it; both already normalised. */
export function isUnder(path: string, base: string): boolean {
  if (path === base) return true
  if (base.endsWith('/')) return path.startsWith(base)
  return path.startsWith(base) && path.charCodeAt(base.length) === 47
}
