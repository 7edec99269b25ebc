import {existsSync, readFileSync} from 'node:fs'

import {isMap, isSeq, LineCounter, parseDocument, type YAMLMap} from 'yaml'

import {AgentgovError, ExitCode, errorMessage} from '../errors.js'
import {approvedFile} from '../state-layout.js'
import type {ServerRecord} from './types.js'

/**
 * The team's approved inventory: servers that are known and accepted even when not (yet) governed.
 * Format (docs/approved-inventory.md): `servers:` is a list of matchers; every field given must
 * match, `*` is a wildcard.
 */
export interface ApprovedEntry {
  name?: string
  package?: string
  url?: string
  command?: string
  clients?: string[]
  line: number
}

export interface ApprovedInventory {
  file: string
  entries: ApprovedEntry[]
}

const MATCH_FIELDS = ['name', 'package', 'url', 'command'] as const
const KNOWN_FIELDS = new Set<string>([...MATCH_FIELDS, 'clients', 'note'])

/** The explicit file, or `<state dir>/approved.yaml` when it exists, or nothing. */
export function loadApproved(explicit: string | undefined, stateDirectory: string): ApprovedInventory | undefined {
  const file = explicit ?? approvedFile(stateDirectory)
  if (!explicit && !existsSync(file)) return undefined
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new AgentgovError(`Cannot read the approved inventory ${file}: ${errorMessage(error)}.`, {
      exit: ExitCode.input,
      hint: 'Pass an existing file with --approved, or create it as docs/approved-inventory.md shows.',
    })
  }

  return {file, entries: parseApproved(text, file)}
}

export function parseApproved(text: string, file: string): ApprovedEntry[] {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter})
  const fail = (message: string, offset?: number): never => {
    const where = offset === undefined ? '' : `:${lineCounter.linePos(offset).line}`
    throw new AgentgovError(`${file}${where}: ${message}`, {
      exit: ExitCode.input,
      hint: 'See docs/approved-inventory.md for the format.',
    })
  }

  if (doc.errors.length > 0) fail(`is not valid YAML (${doc.errors[0].message.split('\n')[0]}).`, doc.errors[0].pos[0])
  if (doc.contents === null) return []
  if (!isMap(doc.contents)) fail('must be a mapping with a `servers:` list.', doc.contents.range?.[0])
  const servers = (doc.contents as YAMLMap).get('servers', true)
  if (servers === undefined) return []
  if (!isSeq(servers)) fail('`servers` must be a list of matchers.', (servers as {range?: number[]}).range?.[0])

  const entries: ApprovedEntry[] = []
  for (const item of (servers as unknown as {items: unknown[]}).items) {
    const offset = (item as {range?: number[]}).range?.[0]
    if (!isMap(item)) fail('each entry in `servers` must be a mapping such as `- name: github`.', offset)
    const value = (item as YAMLMap).toJSON() as Record<string, unknown>
    const unknown = Object.keys(value).filter((key) => !KNOWN_FIELDS.has(key))
    if (unknown.length > 0) fail(`unknown field "${unknown[0]}" (use ${[...KNOWN_FIELDS].join(', ')}).`, offset)
    if (!MATCH_FIELDS.some((key) => typeof value[key] === 'string')) {
      fail(`an entry needs at least one of ${MATCH_FIELDS.join(', ')}.`, offset)
    }

    const entry: ApprovedEntry = {line: lineCounter.linePos(offset ?? 0).line}
    for (const key of MATCH_FIELDS) {
      if (value[key] === undefined) continue
      if (typeof value[key] !== 'string') fail(`"${key}" must be a string.`, offset)
      entry[key] = value[key] as string
    }

    if (value.clients !== undefined) {
      if (!Array.isArray(value.clients) || !value.clients.every((c) => typeof c === 'string')) {
        fail('"clients" must be a list of client ids such as [cursor, claude-code].', offset)
      }

      entry.clients = value.clients as string[]
    }

    entries.push(entry)
  }

  return entries
}

export function isApproved(record: ServerRecord, inventory: ApprovedInventory | undefined): boolean {
  if (!inventory) return false
  const commandLine = [record.command, ...(record.args ?? [])].filter(Boolean).join(' ')
  return inventory.entries.some(
    (entry) =>
      (entry.name === undefined || globMatch(entry.name, record.name)) &&
      (entry.package === undefined || (record.package !== undefined && globMatch(entry.package, record.package.name))) &&
      (entry.url === undefined || (record.url !== undefined && globMatch(entry.url, record.url))) &&
      (entry.command === undefined || globMatch(entry.command, commandLine)) &&
      (entry.clients === undefined || entry.clients.includes(record.client)),
  )
}

function globMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replaceAll(/[.+?^${}()|[\]\\]/g, String.raw`\$&`))
    .join('.*')
  return new RegExp(`^${source}$`).test(value)
}
