import {homedir} from 'node:os'

import {type PathOptions, pathOptionsFor} from './paths.js'

/** Path comparison as this machine's file systems do it: `~` is this user's home. */
export function pathOptions(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): PathOptions {
  return pathOptionsFor(env.HOME || env.USERPROFILE || homedir(), platform)
}
