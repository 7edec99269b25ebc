import {homedir} from 'node:os'

import type {PathOptions} from './paths.js'

/** Path comparison as this machine's file systems do it: `~` is this user's home. */
export function pathOptions(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): PathOptions {
  return {home: env.HOME || env.USERPROFILE || homedir(), caseInsensitive: platform === 'darwin' || platform === 'win32'}
}
