import {readFile, unlink} from 'node:fs/promises'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

import type {ConfigFormat, DocPath} from '../config/document.js'
import {sha256} from '../digest.js'
import {AgentgovError, errorMessage, ExitCode} from '../errors.js'
import {wrapsDir} from '../state-layout.js'
import {writeStateFile} from './files.js'

export const WRAP_SCHEMA = 'agentgov.wrap/v1'

/** One rewritten entry: enough to put it back exactly, kept outside the client's file. */
export interface RecordEntry {
  client: string
  name: string
  project?: string
  path: DocPath
  kind: 'remote' | 'stdio'
  /** The entry's text before wrap, byte for byte. */
  original: string
  /** The entry's text as wrap wrote it: when it still reads so, the original goes back verbatim. */
  wrapped: string
}

/** `<state>/wraps/<hash>.json`, beside `<hash>.orig`, the whole file as it was before wrap. */
export interface WrapRecord {
  schema: typeof WRAP_SCHEMA
  file: string
  format: ConfigFormat
  clients: string[]
  wrappedAt: string
  agentgov: string
  originalSha256: string
  wrappedSha256: string
  backup: string
  entries: RecordEntry[]
}

function base(stateDir: string, file: string): string {
  return join(wrapsDir(stateDir), sha256(file).slice(0, 16))
}

export function backupPath(stateDir: string, file: string): string {
  return `${base(stateDir, file)}.orig`
}

export async function loadRecord(stateDir: string, file: string): Promise<WrapRecord | undefined> {
  let text: string
  try {
    text = await readFile(`${base(stateDir, file)}.json`, 'utf8')
  } catch {
    return undefined
  }

  try {
    const record = JSON.parse(text) as WrapRecord
    return record.schema === WRAP_SCHEMA && record.file === file ? record : undefined
  } catch (error) {
    throw new AgentgovError(`agentgov's record of ${file} is damaged: ${errorMessage(error)}.`, {
      exit: ExitCode.state,
      hint: `The original file is kept at ${backupPath(stateDir, file)}.`,
    })
  }
}

export async function readBackup(record: WrapRecord): Promise<Buffer | undefined> {
  const bytes = await readFile(record.backup).catch(() => undefined)
  return bytes && sha256(bytes) === record.originalSha256 ? bytes : undefined
}

/** The backup is written before the record that points to it, and both before the client's file. */
export async function saveRecord(stateDir: string, record: WrapRecord, original?: Buffer): Promise<void> {
  if (original) await writeStateFile(record.backup, original)
  await writeStateFile(`${base(stateDir, record.file)}.json`, `${JSON.stringify(record, null, 2)}\n`)
}

export async function dropRecord(stateDir: string, file: string): Promise<void> {
  await unlink(`${base(stateDir, file)}.json`).catch(() => undefined)
  await unlink(`${base(stateDir, file)}.orig`).catch(() => undefined)
}

/** Every file agentgov holds a wrap record for. */
export async function recordedFiles(stateDir: string): Promise<string[]> {
  let names: string[]
  try {
    names = readdirSync(wrapsDir(stateDir)).filter((name) => name.endsWith('.json'))
  } catch {
    return []
  }

  const files: string[] = []
  for (const name of names) {
    try {
      const record = JSON.parse(await readFile(join(wrapsDir(stateDir), name), 'utf8')) as WrapRecord
      if (record.schema === WRAP_SCHEMA) files.push(record.file)
    } catch {
      // A damaged record is reported when its file is unwrapped by name.
    }
  }

  return files
}
