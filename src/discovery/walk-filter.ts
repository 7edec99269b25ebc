/*
 * What the repository walk leaves out besides its fixed skip list: `--exclude` globs and, when
 * asked, .gitignore rules. Both compile to anchored regular expressions once, when read.
 */

export interface ExcludeRule {
  regex: RegExp
  /** A pattern with a slash matches the path from the scan root; one without matches any name. */
  anchored: boolean
  /** A trailing `/` matches directories only. */
  dirOnly: boolean
}

export interface IgnoreRule extends ExcludeRule {
  negate: boolean
  /** The directory of the .gitignore, relative to the scan root (posix, '' for the root). */
  base: string
}

/**
 * A gitignore-style glob as a regex over a posix path: `*` and `?` stay within one segment, `**`
 * crosses segments, `[…]` is a character class (`[!…]` negated).
 */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/'
        source += slashAfter ? '(?:.*/)?' : '.*'
        i += slashAfter ? 2 : 1
      } else source += '[^/]*'
    } else if (char === '?') source += '[^/]'
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end === -1) source += String.raw`\[`
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replaceAll('\\', '\\\\')
        source += `[${body}]`
        i = end
      }
    } else if (char === '\\' && i + 1 < glob.length) {
      source += escape(glob[++i])
    } else source += escape(char)
  }

  return new RegExp(`^${source}$`)
}

function escape(char: string): string {
  return char.replaceAll(/[.+^${}()|[\]\\/]/g, String.raw`\$&`)
}

function compile(pattern: string): ExcludeRule {
  const dirOnly = pattern.endsWith('/')
  let body = dirOnly ? pattern.slice(0, -1) : pattern
  // A slash anywhere but at the end anchors the pattern to its base directory.
  const anchored = body.includes('/')
  if (body.startsWith('/')) body = body.slice(1)
  // `dir/**` also leaves out `dir` itself, so the walk never enters it.
  if (body.endsWith('/**')) body = body.slice(0, -3)
  return {regex: globToRegExp(body), anchored, dirOnly}
}

/** One `--exclude` value: `name`, `*.test.ts`, `legacy/**`, `fixtures/`. */
export function compileExclude(glob: string): ExcludeRule {
  return compile(glob.replaceAll('\\', '/').replace(/^\.\//, ''))
}

/** The rules of one .gitignore file, in file order (the last matching rule decides). */
export function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = []
  for (const raw of text.split(/\r?\n/)) {
    // Trailing spaces are ignored unless escaped; a leading `#` is a comment, `\#` a literal one.
    const line = raw.replace(/(?<!\\)\s+$/, '')
    if (line === '' || line.startsWith('#')) continue
    const negate = line.startsWith('!')
    const pattern = negate ? line.slice(1) : line
    if (pattern === '' || pattern === '/') continue
    rules.push({...compile(pattern), negate, base})
  }

  return rules
}

/** `rel` (a path from the scan root) relative to `base`, or undefined when it is not under it. */
export function relativeTo(rel: string, base: string): string | undefined {
  if (base === '') return rel
  return rel.startsWith(base) && rel.charCodeAt(base.length) === 47 ? rel.slice(base.length + 1) : undefined
}
