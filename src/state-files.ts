import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

/** Read a JSON state file; undefined when it does not exist or is not valid JSON (treated as empty). */
export function readJsonFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch {
    return undefined
  }
}

/**
 * Write beside, then rename over: a reader (another proxy, a command) sees the old or the new file,
 * never half of one. Owner-only permissions: state files hold approvals, pins and grants.
 */
export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), {recursive: true, mode: 0o700})
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`
  writeFileSync(temporary, JSON.stringify(value, null, 2) + '\n', {mode: 0o600})
  renameSync(temporary, path)
}
