/**
 * Globs. Name globs (agents, servers, tools) are matched against canonical names: `*` is any run of
 * printable ASCII characters and `?` one of them, so a wildcard never matches a non-ASCII look-alike;
 * such a name is only matched by a pattern that spells it out. Value globs (the `glob` condition) are
 * path-style: `*` and `?` stop at `/`, `**` crosses it.
 */

export type NameMatcher = (name: string) => boolean

export interface NameGlob {
  source: string
  /** No wildcard at all. */
  exact: boolean
  /** The characters before the first wildcard (the whole pattern when exact). */
  prefix: string
  test: NameMatcher
}

const NAME_CHAR = '[\\x21-\\x7e]'

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

export function compileNameGlob(pattern: string): NameGlob {
  const first = firstWildcard(pattern)
  if (first < 0) return {source: pattern, exact: true, prefix: pattern, test: (name) => name === pattern}
  const prefix = pattern.slice(0, first)
  if (pattern === '*') return {source: pattern, exact: false, prefix: '', test: ALL_PLAIN}
  // `prefix*` is the most common shape after exact names: a startsWith and a plain-tail check.
  if (first === pattern.length - 1 && pattern.endsWith('*')) {
    return {source: pattern, exact: false, prefix, test: (name) => name.startsWith(prefix) && plainFrom(name, prefix.length)}
  }

  let body = ''
  for (const ch of pattern) {
    if (ch === '*') body += `${NAME_CHAR}*`
    else if (ch === '?') body += NAME_CHAR
    else body += escapeRegex(ch)
  }

  const regex = new RegExp(`^${body}$`, 'u')
  return {source: pattern, exact: false, prefix, test: (name) => regex.test(name)}
}

function firstWildcard(pattern: string): number {
  const star = pattern.indexOf('*')
  const question = pattern.indexOf('?')
  if (star < 0) return question
  if (question < 0) return star
  return Math.min(star, question)
}

const PLAIN_ONLY = /^[\x21-\x7e]*$/
const ALL_PLAIN: NameMatcher = (name) => PLAIN_ONLY.test(name)

function plainFrom(name: string, start: number): boolean {
  for (let i = start; i < name.length; i++) {
    const code = name.charCodeAt(i)
    if (code < 0x21 || code > 0x7e) return false
  }
  return true
}

/** Path-style glob for argument values; case-sensitive. */
export function compileValueGlob(pattern: string): RegExp {
  let body = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '*' && pattern[i + 1] === '*') {
      body += '[\\s\\S]*'
      i++
    } else if (ch === '*') body += '[^/]*'
    else if (ch === '?') body += '[^/]'
    else body += escapeRegex(ch)
  }

  return new RegExp(`^${body}$`, 'u')
}

/**
 * Whether some name matches both name globs (for lint: an allow rule that can shadow a deny).
 * Memoised walk over both patterns; wildcards stand for printable ASCII.
 */
export function globsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>()
  const width = b.length + 1
  const walk = (i: number, j: number): boolean => {
    const key = i * width + j
    const known = memo.get(key)
    if (known !== undefined) return known
    let result: boolean
    if (i === a.length && j === b.length) result = true
    else if (i < a.length && a[i] === '*') result = walk(i + 1, j) || (j < b.length && (b[j] === '*' ? walk(i, j + 1) || walk(i + 1, j) : isPlainChar(b[j]) && walk(i, j + 1)))
    else if (j < b.length && b[j] === '*') result = walk(i, j + 1) || (i < a.length && isPlainChar(a[i]) && walk(i + 1, j))
    else if (i === a.length || j === b.length) result = false
    else if (a[i] === '?' && b[j] === '?') result = walk(i + 1, j + 1)
    else if (a[i] === '?') result = isPlainChar(b[j]) && walk(i + 1, j + 1)
    else if (b[j] === '?') result = isPlainChar(a[i]) && walk(i + 1, j + 1)
    else result = a[i] === b[j] && walk(i + 1, j + 1)
    memo.set(key, result)
    return result
  }

  return walk(0, 0)
}

function isPlainChar(ch: string): boolean {
  const code = ch.charCodeAt(0)
  return code >= 0x21 && code <= 0x7e
}

/** Whether every name matching `inner` also matches `outer` (sound, not complete: used for warnings). */
export function globCovers(outer: string, inner: string): boolean {
  if (outer === inner) return true
  const first = firstWildcard(outer)
  if (first < 0) return false
  // `prefix*` covers anything spelled with that literal prefix; other shapes are not claimed.
  if (first === outer.length - 1 && outer.endsWith('*')) {
    const prefix = outer.slice(0, -1)
    return inner.startsWith(prefix) && plainFrom(inner, prefix.length)
  }

  return false
}
