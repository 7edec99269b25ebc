/**
 * Path normalisation for the `under` / `not_under` / path-`glob` conditions. The agent controls the
 * argument and the server's platform decides what it means, so the path is read exactly as that
 * platform reads it and in no other way: on Linux and macOS only `/` separates, and `\`, `%2f` and
 * full-width `／` are ordinary characters of a file name (reading them as separators would let
 * `secret/a\..\..\public\x` pass as a public path while the file lands in `secret/`). What the
 * platform and the filesystem servers do is applied: `~` and `~/` are the home directory (as the
 * servers expand them), duplicate slashes, `.` and `..` are resolved lexically (as path.resolve
 * does), and names are compared in Unicode NFC. A path that cannot be placed (relative, `~user`, a NUL, invisible characters, a Windows
 * short name or stream) normalises to undefined, and conditions on it are undecided rather than
 * false (see conditions.ts).
 */
import {hasInvisible} from './canonical.js'

export interface PathOptions {
  home: string
  /** Case-insensitive comparison on file systems that are (macOS, Windows). */
  caseInsensitive: boolean
  /** Windows rules: `\` separates too, drive letters, trailing dots and spaces of a name are dropped. */
  windows?: boolean
}

/** The rules of `platform`'s file systems, with `home` for `~`. */
export function pathOptionsFor(home: string, platform: NodeJS.Platform): PathOptions {
  return {home, caseInsensitive: platform === 'darwin' || platform === 'win32', windows: platform === 'win32'}
}

// Already normal: absolute, printable ASCII without `\\`, no empty, `.` or `..` segment.
const NORMAL = /^(?:\/(?!\.{1,2}(?:\/|$))[\x20-\x2e\x30-\x5b\x5d-\x7e]+)+$/

// Several rules of one call often test the same argument: remember the last answer.
let lastRaw = ''
let lastOptions: PathOptions | undefined
let lastResult: string | undefined

export function normalisePath(raw: string, options: PathOptions): string | undefined {
  if (raw === lastRaw && options === lastOptions) return lastResult
  const result = !options.windows && NORMAL.test(raw) ? (options.caseInsensitive ? raw.toLowerCase() : raw) : slowNormalise(raw, options)
  lastRaw = raw
  lastOptions = options
  lastResult = result
  return result
}

function slowNormalise(raw: string, options: PathOptions): string | undefined {
  if (raw.length === 0 || raw.includes('\0') || hasInvisible(raw)) return undefined
  // NFC: macOS and the filesystem servers (for a new file) treat NFC-equivalent names as one.
  let text = raw.normalize('NFC')
  if (options.windows) {
    // UNC shares and device paths (\\server\share, \\?\C:\) name other machines and namespaces.
    if (/^[\\/]{2}/.test(text)) return undefined
    text = text.replaceAll('\\', '/')
  }

  if (text === '~' || text.startsWith('~/')) text = homeOf(options) + text.slice(1)
  else if (text.startsWith('~')) return undefined

  let root = ''
  let rest = text
  if (options.windows) {
    const drive = /^([a-zA-Z]):\//.exec(text)
    if (!drive) return undefined
    root = `${drive[1].toLowerCase()}:`
    rest = text.slice(2)
  } else if (!text.startsWith('/')) {
    return undefined
  }

  const parts: string[] = []
  for (let segment of rest.split('/')) {
    if (options.windows) {
      // Win32 drops trailing dots and spaces (`secret.` is `secret`); `:` opens a stream, `~1` may be
      // a short name: neither can be placed without asking the disk.
      if (segment.includes(':') || /~\d/.test(segment)) return undefined
      if (segment !== '.' && segment !== '..') segment = segment.replace(/[. ]+$/, '')
    }

    if (segment === '' || segment === '.') continue
    if (segment === '..') parts.pop()
    else parts.push(segment)
  }

  const joined = `${root}/${parts.join('/')}`
  return options.caseInsensitive ? joined.toLowerCase() : joined
}

function homeOf(options: PathOptions): string {
  const home = options.windows ? options.home.replaceAll('\\', '/') : options.home
  return home.endsWith('/') ? home.slice(0, -1) : home
}

/** `path` is `base` or inside it; both already normalised. */
export function isUnder(path: string, base: string): boolean {
  if (path === base) return true
  if (base.endsWith('/')) return path.startsWith(base)
  return path.startsWith(base) && path.charCodeAt(base.length) === 47
}

/** Whether a glob pattern names paths (then values are normalised before it matches). */
export function isPathPattern(pattern: string, options: PathOptions): boolean {
  return pattern.startsWith('/') || pattern === '~' || pattern.startsWith('~/') || (options.windows === true && /^[a-zA-Z]:[\\/]/.test(pattern))
}

/**
 * A path glob in the form normalised values take: `~` expanded, case folded where the file system
 * folds it. Wildcards are kept; `.` and `..` are not resolved inside a pattern.
 */
export function normalisePathPattern(pattern: string, options: PathOptions): string {
  let text = pattern.normalize('NFC')
  if (options.windows) text = text.replaceAll('\\', '/')
  if (text === '~' || text.startsWith('~/')) text = homeOf(options) + text.slice(1)
  text = text.replace(/\/{2,}/g, '/')
  if (options.windows) text = text.replace(/^([a-zA-Z]):/, (_m, d: string) => `${d.toLowerCase()}:`)
  return options.caseInsensitive ? text.toLowerCase() : text
}
