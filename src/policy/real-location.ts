import {realpathSync} from 'node:fs'
import {basename, dirname, isAbsolute, join} from 'node:path'

/**
 * Where an absolute path really leads, every link along it resolved (realpath of the longest
 * existing prefix, the missing rest appended: a file about to be created still counts). Undefined
 * when it cannot be told: a loop of links, a folder that cannot be searched, a name too long.
 */
export function realLocation(path: string): string | undefined {
  if (!isAbsolute(path)) return undefined
  let head = path
  const tail: string[] = []
  for (;;) {
    try {
      const real = realpathSync.native(head)
      return tail.length === 0 ? real : join(real, ...tail.reverse())
    } catch (error) {
      // Only a missing component means "not there yet"; anything else (ELOOP, EACCES,
      // ENAMETOOLONG, ENOTDIR through a link) leaves where the path leads unknown.
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') return undefined
      const parent = dirname(head)
      if (parent === head) return undefined
      tail.push(basename(head))
      head = parent
    }
  }
}
