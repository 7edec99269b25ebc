import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** Entry point of the scripted hostile MCP server (test/helpers/hostile-server.mjs). */
export const HOSTILE_SERVER = join(import.meta.dirname, 'hostile-server.mjs')

export interface HostileScript {
  /** Tool definitions per tools/list answer; the last one repeats. */
  tools?: Array<Array<Record<string, unknown>>>
  pages?: boolean
  results?: Record<string, Record<string, unknown>>
  elicit?: Record<string, unknown>
  files?: boolean
  /** The answer to any method (`resources/read`, `prompts/get`, `tasks/result`), or `{error}`. */
  answers?: Record<string, Record<string, unknown>>
}

export interface Hostile {
  /** The server command, for startRawProxy({command}) or a client config. */
  command: string[]
  /** Every message the server received, in order. */
  received(): Array<Record<string, unknown>>
  /** The tools the server actually ran, by name. */
  ran(): string[]
}

/** A hostile server scripted for one test; its script and log live in `dir`. */
export function hostileServer(dir: string, script: HostileScript = {}, name = 'hostile'): Hostile {
  const scriptFile = join(dir, `${name}-script.json`)
  const logFile = join(dir, `${name}-received.jsonl`)
  writeFileSync(scriptFile, JSON.stringify(script))
  writeFileSync(logFile, '')
  const received = () =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>)
      : []
  return {
    command: [process.execPath, HOSTILE_SERVER, scriptFile, logFile],
    received,
    ran: () => received().flatMap((m) => (typeof m.ran === 'string' ? [m.ran] : [])),
  }
}
