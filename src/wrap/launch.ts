import {accessSync, constants, existsSync, readFileSync, realpathSync} from 'node:fs'
import {delimiter, dirname, isAbsolute, join} from 'node:path'

import type {Scope} from '../clients/types.js'
import {VERSION} from '../version.js'

/**
 * The absolute path of this package's bin/run.js: found by walking up from this module (dist/src/wrap
 * when built, src/wrap under the test runner) to the package.json named agentgov.
 */
export function agentgovEntry(from: string = import.meta.dirname): string {
  const root = packageRoot(from)
  if (!root) throw new Error(`cannot find agentgov's package.json above ${from}`)
  return join(root, 'bin', 'run.js')
}

function packageRoot(from: string): string | undefined {
  let dir = from
  for (;;) {
    if (packageVersion(dir) !== undefined) return dir
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** The version of the agentgov package whose root is `dir`, or undefined when `dir` is not one. */
function packageVersion(dir: string): string | undefined {
  const manifest = join(dir, 'package.json')
  if (!existsSync(manifest)) return undefined
  try {
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string; version?: string}
    return parsed.name === 'agentgov' ? (parsed.version ?? '') : undefined
  } catch {
    return undefined
  }
}

/**
 * How a wrapped entry starts agentgov (docs/wrap.md, "Launch forms"):
 * - `absolute`: `<node> <agentgov>/bin/run.js`, both absolute: a GUI client with a minimal PATH still
 *   starts it, but only on this machine; used for the user's own files, and checked by `doctor`.
 * - `npx`: `npx -y agentgov@<exact version>`: for files a team commits; it works on every teammate's
 *   machine that has node (the same assumption the file's `npx` servers make), and the exact version
 *   means every teammate's proxy reads the policy the same way.
 */
export type LaunchForm = 'absolute' | 'npx'

export function launchFormFor(scopes: readonly Scope[]): LaunchForm {
  return scopes.includes('project') ? 'npx' : 'absolute'
}

export interface LaunchOptions {
  agent: string
  server: string
  policy?: string
  form?: LaunchForm
  /** Absolute node binary and bin/run.js for the absolute form; default: the ones running now. */
  node?: string
  entry?: string
}

export function launcherHead(options: Pick<LaunchOptions, 'entry' | 'form' | 'node'>): string[] {
  if (options.form === 'npx') return ['npx', '-y', `agentgov@${VERSION}`]
  return [options.node ?? process.execPath, options.entry ?? agentgovEntry()]
}

/**
 * `<launcher> proxy --agent A --server S [--policy P] <tail…>` (docs/proxy-cli.md); `tail` is
 * `-- <command> <args…>` or the upstream options.
 */
export function proxyArgv(options: LaunchOptions, tail: string[]): string[] {
  const head = [...launcherHead(options), 'proxy', '--agent', options.agent, '--server', options.server]
  if (options.policy) head.push('--policy', options.policy)
  return [...head, ...tail]
}

export interface LauncherHealth {
  ok: boolean
  form: 'absolute' | 'npx' | 'path' | 'unknown'
  /** The agentgov version the launcher runs, when it can be told. */
  version?: string
  /** What is wrong, in one sentence. */
  problem?: string
}

/** Where `name` resolves on PATH, as a client with that PATH would find it. */
function onPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name)
    if (executable(candidate)) return candidate
  }

  return undefined
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Does this launcher start the agentgov this is? `path` is the PATH a client would spawn with
 * (doctor uses its own). A launcher of another version counts as broken: the policy and the trace
 * format are this version's.
 */
export function checkLauncher(launcher: readonly string[], path: string = process.env.PATH ?? ''): LauncherHealth {
  const [first, ...rest] = launcher
  const npxPin = launcher.find((token) => /^agentgov@/.test(token))
  if (first === 'npx' || /[\\/]npx$/.test(first ?? '')) {
    const version = npxPin?.slice('agentgov@'.length)
    if (!(isAbsolute(first) ? executable(first) : onPath(first, path))) return {ok: false, form: 'npx', version, problem: `${first} is not on PATH, so the client cannot start agentgov`}
    if (version !== VERSION) return {ok: false, form: 'npx', version, problem: version ? `it runs agentgov ${version}, this is ${VERSION}` : 'it runs whatever agentgov version npx finds, not an exact one'}
    return {ok: true, form: 'npx', version}
  }

  if (launcher.length === 1 && /^agentgov(\.cmd|\.exe)?$/i.test(first ?? '')) {
    const found = onPath(first, path)
    if (!found) return {ok: false, form: 'path', problem: 'agentgov is not on PATH'}
    const version = packageVersion(dirname(dirname(realpathSync(found))))
    return version === VERSION ? {ok: true, form: 'path', version} : {ok: false, form: 'path', version, problem: `agentgov on PATH is ${version ?? 'of an unknown version'}, this is ${VERSION}`}
  }

  const entry = rest.at(-1)
  if (launcher.length === 2 && first && entry) {
    const node = isAbsolute(first) ? (executable(first) ? first : undefined) : onPath(first, path)
    if (!node) return {ok: false, form: 'absolute', problem: `${first} does not exist or cannot be run (node moved or was upgraded)`}
    if (!existsSync(entry)) return {ok: false, form: 'absolute', problem: `${entry} does not exist (agentgov moved or was removed)`}
    const version = packageVersion(dirname(dirname(entry)))
    if (version !== VERSION) return {ok: false, form: 'absolute', version, problem: `it runs agentgov ${version ?? 'of an unknown version'}, this is ${VERSION}`}
    return {ok: true, form: 'absolute', version}
  }

  return {ok: false, form: 'unknown', problem: `agentgov cannot tell what "${launcher.join(' ')}" starts`}
}
