import type {Host} from '../host.js'
import type {ConfigLocation} from './types.js'

/** A client's own directory override from the environment, when set. */
export function envPath(host: Host, name: string): string | undefined {
  const value = host.env[name]?.trim()
  return value ? value : undefined
}

/**
 * Overrides are scanned besides the defaults, not instead of them: agentgov's environment is not the
 * client's, and a file at the default place still matters. An override often names the default, so
 * drop repeats.
 */
export function uniqueLocations(locations: ConfigLocation[]): ConfigLocation[] {
  const seen = new Set<string>()
  return locations.filter((location) => {
    if (seen.has(location.path)) return false
    seen.add(location.path)
    return true
  })
}
