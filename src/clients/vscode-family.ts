import {join} from 'node:path'

import {type Host, vscodeUserDirs} from '../host.js'
import type {ConfigLocation} from './types.js'

/** VS Code's own builds. Cursor, Windsurf and Trae share the layout but have their own adapters. */
export const VSCODE_BUILDS = ['Code', 'Code - Insiders', 'VSCodium'] as const

/**
 * Where each build's server (Remote SSH, WSL, dev containers, Codespaces) keeps its user dir on the
 * machine it runs on: `~/<dir>/data/User`. Extensions installed remotely keep their storage there.
 */
const SERVER_DIRS: Readonly<Record<string, readonly string[]>> = {
  Code: ['.vscode-server', '.vscode-remote'],
  'Code - Insiders': ['.vscode-server-insiders'],
  VSCodium: ['.vscodium-server'],
  Cursor: ['.cursor-server'],
  Windsurf: ['.windsurf-server'],
  Trae: ['.trae-server'],
}

/**
 * Files at the same place under every user dir of the given builds: `locate` gets a user dir (the
 * `<code>` of the reference) and returns that dir's files. Remote-server dirs are marked uncertain.
 */
export function inUserDirs(
  host: Host,
  flavours: readonly string[],
  locate: (userDir: string) => ConfigLocation[],
): ConfigLocation[] {
  const local = vscodeUserDirs(host, flavours).flatMap(locate)
  const remote = flavours
    .flatMap((flavour) => SERVER_DIRS[flavour] ?? [])
    .flatMap((dir) => locate(join(host.home, dir, 'data', 'User')))
    .map((location) => ({...location, uncertain: true}))
  return [...local, ...remote]
}
