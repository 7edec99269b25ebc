import {lstatSync, realpathSync} from 'node:fs'
import {basename, dirname, join, sep} from 'node:path'

const MAX_PATHS = 64

/**
 * The arguments with every absolute path replaced by where it really leads, or undefined when that
 * changes nothing. Policy conditions compare paths as text, so a link inside an allowed folder that
 * points into a denied one would pass: the gate decides on both readings and keeps the stricter.
 */
export function realPathVariant(args: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  let budget = MAX_PATHS
  let changed = false
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.startsWith('/') || value.length > 4096 || budget-- <= 0) return value
      const target = followLinks(value)
      if (target !== value) changed = true
      return target
    }

    if (Array.isArray(value)) return value.map((item) => walk(item))
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
    return value
  }

  const variant = walk(args) as Record<string, unknown>
  return changed ? variant : undefined
}

/**
 * Where `path` leads, written under the same names the path uses. System links above it (/tmp is
 * /private/tmp on macOS) are kept as written, so rules that name those folders still match; a link
 * below that redirects elsewhere shows as the folder it really reaches.
 */
export function followLinks(path: string): string {
  const real = realPathOf(path)
  if (real === path) return path
  // The deepest ancestor (not itself a link) whose real location contains the target: re-root there.
  for (let ancestor = dirname(path); ; ancestor = dirname(ancestor)) {
    if (dirname(ancestor) !== ancestor && isLink(ancestor)) continue
    const realAncestor = realPathOf(ancestor)
    if (real === realAncestor || real.startsWith(realAncestor.endsWith(sep) ? realAncestor : realAncestor + sep)) {
      return ancestor === realAncestor ? real : join(ancestor, real.slice(realAncestor.length))
    }

    if (dirname(ancestor) === ancestor) return real
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path, {throwIfNoEntry: false})?.isSymbolicLink() === true
  } catch {
    // Not a path the filesystem accepts (a NUL byte): no link to follow.
    return false
  }
}

/** realpath of the longest existing prefix, the rest appended: a file about to be created still counts. */
function realPathOf(path: string): string {
  let head = path
  const tail: string[] = []
  for (let depth = 0; depth < 256; depth++) {
    try {
      const real = realpathSync.native(head)
      return tail.length === 0 ? real : join(real, ...tail.reverse())
    } catch {
      const parent = dirname(head)
      if (parent === head) return path
      tail.push(basename(head))
      head = parent
    }
  }

  return path
}
