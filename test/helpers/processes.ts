import {type ChildProcess, spawn} from 'node:child_process'
import {createServer} from 'node:net'

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Start a process and wait until its stderr says `ready`. */
export async function startUntil(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<{child: ChildProcess; match: RegExpExecArray; stderr: () => string}> {
  const child = spawn(command, args, {env: {PATH: process.env.PATH ?? '', ...env}, stdio: ['pipe', 'pipe', 'pipe']})
  let stderr = ''
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${stderr}`)), 15_000)
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const found = ready.exec(stderr)
      if (found) {
        clearTimeout(timer)
        resolve(found)
      }
    })
  })
  return {child, match, stderr: () => stderr}
}
