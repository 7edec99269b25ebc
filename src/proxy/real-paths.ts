import {UNDECIDABLE} from '../policy/index.js'
import {pathOptions} from '../policy/options.js'
import {normalisePath, type PathOptions} from '../policy/paths.js'
import {realLocation} from '../policy/real-location.js'
import {resourceSubject} from '../policy/resource-uri.js'

/** Path-like strings followed per call; past this every further one is undecidable. */
export const MAX_PATHS = 64
/** Linux's PATH_MAX less the NUL: a longer (normalised) path is not one the kernel opens. */
const MAX_PATH_BYTES = 4095
/** Nesting followed; a deeper value is undecidable (and no stack is spent on it). */
const MAX_DEPTH = 64

const DOT_DOT = /(?:^|\/)\.\.(?:\/|$)/

/**
 * The arguments with every path (`/…` or `~/…`) replaced by where it really leads, every link along
 * it resolved, or undefined when that changes nothing. The gate decides on both the arguments and
 * this variant and keeps the stricter decision, so a link inside an allowed folder into a denied one
 * is judged by the denied one. A path that cannot be followed (a loop of links, a folder it cannot
 * search, too long, past the first MAX_PATHS paths, nested too deep, or `..` after a link that the
 * kernel and path.resolve read differently) becomes UNDECIDABLE: conditions on it are undecided, so
 * allow rules do not apply to it and deny rules do.
 */
export function realPathVariant(args: Readonly<Record<string, unknown>>, options: PathOptions = defaultOptions()): Record<string, unknown> | undefined {
  let paths = 0
  let changed = false
  const undecidable = (): typeof UNDECIDABLE => {
    changed = true
    return UNDECIDABLE
  }

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') {
      if (!value.startsWith('/') && value !== '~' && !value.startsWith('~/')) return value
      if (++paths > MAX_PATHS) return undecidable()
      const real = realReading(value, options)
      if (real === undefined) return undecidable()
      if (real !== value) changed = true
      return real
    }

    if (typeof value !== 'object' || value === null) return value
    if (depth >= MAX_DEPTH) return undecidable()
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1))
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) out[key] = walk((value as Record<string, unknown>)[key], depth + 1)
    return out
  }

  const variant = walk(args, 0) as Record<string, unknown>
  return changed ? variant : undefined
}

/** Where a path argument leads, as the server will open it; undefined when that cannot be told. */
export function realReading(raw: string, options: PathOptions = defaultOptions()): string | undefined {
  // The lexical form is the one filesystem servers open (path.resolve first, then the disk).
  const placed = normalisePath(raw, options)
  // The policy itself is undecided on a path it cannot place: nothing to add here.
  if (placed === undefined) return raw
  if (Buffer.byteLength(placed) > MAX_PATH_BYTES) return undefined
  const real = realLocation(placed)
  if (real === undefined) return undefined
  if (DOT_DOT.test(raw)) {
    // A program that hands the string to the kernel reads `..` after a link from the link's target.
    const expanded = raw.startsWith('~') ? options.home + raw.slice(1) : raw
    if (Buffer.byteLength(expanded) > MAX_PATH_BYTES || realLocation(expanded) !== real) return undefined
  }

  return real
}

/**
 * Where a `file:` resource URI really leads, every link along its path resolved, as a `file://` URI:
 * undefined when it is no file URI the policy can place (the policy refuses those itself) or leads
 * where it says, null when that cannot be told (a loop of links, a folder it cannot search, too long).
 */
export function realResourceUri(uri: string, options: PathOptions = defaultOptions()): string | null | undefined {
  const subject = resourceSubject(uri, options)
  if (subject === undefined || !subject.startsWith('file:///')) return undefined
  const path = subject.slice('file://'.length)
  const real = realReading(path, options)
  if (real === undefined) return null
  return real === path ? undefined : `file://${real}`
}

let cachedOptions: PathOptions | undefined
function defaultOptions(): PathOptions {
  cachedOptions ??= pathOptions()
  return cachedOptions
}
