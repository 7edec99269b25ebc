import {randomBytes} from 'node:crypto'
import {chmod, chown, mkdir, open, readdir, readFile, realpath, rename, stat, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {sha256} from '../digest.js'
import {AgentgovError, errorMessage, ExitCode} from '../errors.js'
import {isRunning} from '../pid.js'
import {locksDir} from '../state-layout.js'

/** A config file as read: the real path (symlinks followed), its bytes, and what a write must keep. */
export interface Snapshot {
  /** The path as named. */
  path: string
  /** Where the bytes live: a dotfile manager's symlink stays a symlink. */
  real: string
  bytes: Buffer
  text: string
  sha: string
  mode: number
  uid: number
  gid: number
}

/** Read a config to rewrite it. Missing, unreadable, empty or read-only: one clear sentence, no write. */
export async function readSnapshot(path: string, purpose: 'read' | 'write'): Promise<Snapshot> {
  let real: string
  let bytes: Buffer
  try {
    real = await realpath(path)
    bytes = await readFile(real)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'it does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(error)
    throw new AgentgovError(`Cannot read ${path}: ${why}.`, {exit: ExitCode.input, cause: error})
  }

  const info = await stat(real)
  const text = bytes.toString('utf8')
  if (text.trim() === '') throw new AgentgovError(`${path} is empty: there is nothing to change.`, {exit: ExitCode.input})
  if (purpose === 'write' && (info.mode & 0o222) === 0) {
    throw new AgentgovError(`${path} is read-only: agentgov leaves files you made read-only as they are.`, {
      exit: ExitCode.input,
      hint: 'Make it writable (chmod u+w) if you want it changed.',
    })
  }

  return {path, real, bytes, text, sha: sha256(bytes), mode: info.mode & 0o7777, uid: info.uid, gid: info.gid}
}

/** Test-only fault injection (AGENTGOV_FAULT), so fault tests can stop a real process at the worst moment. */
async function fault(point: 'before-rename' | 'holding-lock'): Promise<void> {
  const wanted = process.env.AGENTGOV_FAULT
  if (!wanted) return
  if (point === 'before-rename' && wanted === 'kill-before-rename') process.kill(process.pid, 'SIGKILL')
  const hold = /^hold-lock=(\d+)$/.exec(wanted)
  if (point === 'holding-lock' && hold) await sleep(Number(hold[1]))
}

/**
 * Replace a file atomically: a temp file beside it (same directory, so rename cannot cross devices),
 * flushed to disk, given the original's mode (and owner, when run as root), then renamed over it.
 * Just before the rename the file is read again: if it no longer holds what was read, nothing is
 * written. A reader sees the old bytes or the new ones, never a mix; a crash leaves the old file.
 */
export async function commitFile(snapshot: Snapshot, next: Buffer | string): Promise<void> {
  const target = snapshot.real
  await removeStaleTemps(target)
  const temp = join(dirname(target), `.${basename(target)}.agentgov-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  let handle
  try {
    handle = await open(temp, 'wx', snapshot.mode)
  } catch (error) {
    throw new AgentgovError(`Cannot write beside ${snapshot.path}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: 'agentgov needs to write to the folder that holds the file.'})
  }

  try {
    await handle.writeFile(next)
    await handle.sync()
    await handle.close()
    handle = undefined
    await chmod(temp, snapshot.mode)
    if (process.getuid?.() === 0) await chown(temp, snapshot.uid, snapshot.gid).catch(() => undefined)
    const current = await readFile(target).catch(() => undefined)
    if (!current || sha256(current) !== snapshot.sha) {
      throw new AgentgovError(`${snapshot.path} changed while agentgov was editing it, so nothing was written.`, {
        exit: ExitCode.conflict,
        hint: 'Run the command again (close the client first if it keeps rewriting the file).',
      })
    }

    await fault('before-rename')
    await rename(temp, target)
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw error
  }

  // The rename itself is durable only once the directory is flushed (not possible on every OS).
  const dir = await open(dirname(target), 'r').catch(() => undefined)
  await dir?.sync().catch(() => undefined)
  await dir?.close()
}

/** Temp files of an agentgov killed before its rename: the original is intact, the temp is litter. */
async function removeStaleTemps(target: string): Promise<void> {
  const prefix = `.${basename(target)}.agentgov-`
  const names = await readdir(dirname(target)).catch(() => [] as string[])
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length).split('-')[0]) : 0
    if (pid > 0 && pid !== process.pid && !isRunning(pid)) await unlink(join(dirname(target), name)).catch(() => undefined)
  }
}

/** Write a file of agentgov's own state atomically (temp file and rename), owner-only. */
export async function writeStateFile(path: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(path), {recursive: true, mode: 0o700})
  const temp = `${path}.${process.pid}.tmp`
  const handle = await open(temp, 'w', 0o600)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }

  await rename(temp, path)
}

const LOCK_WAIT_MS = 10_000

/**
 * Hold agentgov's lock for one target file while `work` runs: a file `<state>/locks/<hash>.lock`
 * created exclusively and holding our pid. A lock whose pid is gone is stale (a killed agentgov) and
 * taken over; a live one is waited for, then refused.
 */
export async function withFileLock<T>(stateDir: string, file: string, work: () => Promise<T>): Promise<T> {
  const lock = join(locksDir(stateDir), `${sha256(file).slice(0, 16)}.lock`)
  try {
    await mkdir(dirname(lock), {recursive: true, mode: 0o700})
  } catch (error) {
    throw new AgentgovError(`Cannot create agentgov's lock directory: ${errorMessage(error)}.`, {exit: ExitCode.state, hint: 'Set AGENTGOV_HOME to a writable directory.'})
  }

  const started = Date.now()
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600)
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AgentgovError(`Cannot lock ${file}: ${errorMessage(error)}.`, {exit: ExitCode.state, cause: error})
      }
    }

    const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim())
    const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? 0)
    // No pid yet is a lock being created right now, unless it has been so for a while.
    if ((holder > 0 && !isRunning(holder)) || (!(holder > 0) && age > 2000)) {
      await unlink(lock).catch(() => undefined)
      continue
    }

    if (Date.now() - started > LOCK_WAIT_MS) {
      throw new AgentgovError(`${file} is being changed by another agentgov (pid ${holder}).`, {exit: ExitCode.state, hint: 'Try again when it has finished.'})
    }

    await sleep(25)
  }

  try {
    await fault('holding-lock')
    return await work()
  } finally {
    await unlink(lock).catch(() => undefined)
  }
}
