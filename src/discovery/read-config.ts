import {readFile} from 'node:fs/promises'

import type {ClientAdapter, ConfigLocation, FileFacts, ServerEntry} from '../clients/types.js'
import {type ConfigDocument, ConfigSyntaxError, parseConfig} from '../config/document.js'
import {errorMessage} from '../errors.js'
import type {ConfigFileRecord} from './types.js'

/** One config file as discovery read it: the file record, its servers, and facts for findings. */
export interface ConfigRead {
  adapter: ClientAdapter
  location: ConfigLocation
  record: ConfigFileRecord
  servers: ServerEntry[]
  facts?: FileFacts
  /** The parsed file, so a finding can point at the value it is about. */
  doc?: ConfigDocument
  /** Where a malformed file broke, for the finding. */
  errorLine?: number
  errorColumn?: number
}

/** Read and parse one file; undefined when it does not exist. Never throws: a bad file is a finding. */
export async function readConfigFile(adapter: ClientAdapter, location: ConfigLocation): Promise<ConfigRead | undefined> {
  const record: ConfigFileRecord = {
    client: adapter.id,
    path: location.path,
    scope: location.scope,
    format: location.format,
    status: 'ok',
    servers: 0,
  }
  let text: string
  try {
    text = await readFile(location.path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    record.status = 'unreadable'
    record.error = errorMessage(error)
    return {adapter, location, record, servers: []}
  }

  try {
    const doc = parseConfig(text, location.format)
    const {servers, facts} = adapter.read(doc, location)
    record.servers = servers.length
    return {adapter, location, record, servers, facts, doc}
  } catch (error) {
    record.status = 'malformed'
    if (error instanceof ConfigSyntaxError) {
      record.error = error.line ? `${error.message} at line ${error.line}, column ${error.column}` : error.message
      return {adapter, location, record, servers: [], errorLine: error.line, errorColumn: error.column}
    }

    record.error = errorMessage(error)
    return {adapter, location, record, servers: []}
  }
}
