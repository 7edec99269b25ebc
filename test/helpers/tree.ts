import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

/** A temporary directory removed by the returned cleanup. */
export function tempDir(prefix = 'agentgov-test-'): {path: string; cleanup: () => void} {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {path, cleanup: () => rmSync(path, {recursive: true, force: true, maxRetries: 5, retryDelay: 100})}
}

/** Write files (relative path -> content; objects are written as pretty JSON) under root. */
export function writeTree(root: string, files: Record<string, object | string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative)
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n')
  }
}

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js')

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Run the built CLI as a user would, with a controlled environment (no inherited HOME). */
export function runCli(args: string[], env: Record<string, string>, cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {cwd, env: {PATH: process.env.PATH ?? '', CI: 'true', FORCE_COLOR: '0', ...env}, maxBuffer: 32 * 1024 * 1024},
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({code, stdout, stderr})
      },
    )
  })
}

/** Run the CLI in a real terminal, as a person would (approvals and grants refuse to run without one). */
export function runInTerminal(args: string[], env: Record<string, string>): Promise<{code: number; output: string}> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], {env: {PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env}}, (error, stdout) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout})
    })
  })
}

/**
 * Read until the value is as expected or time runs out: the trace store writes on a short timer, so a
 * test reading it while a proxy runs waits for the records rather than racing them.
 */
export async function eventually<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = read()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    value = read()
  }

  return value
}
