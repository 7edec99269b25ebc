import {createTwoFilesPatch} from 'diff'

import {parseGovernedLaunch} from '../clients/governed.js'
import {planEntry, unplanEntry, type EntryEdit} from '../clients/rewrite.js'
import {getIn} from '../clients/server-map.js'
import type {ClientAdapter, ConfigLocation, ServerEntry} from '../clients/types.js'
import {ConfigSyntaxError, parseConfig, type ConfigDocument, type ConfigFormat, type DocPath} from '../config/document.js'
import {applyConfigEdits, type ConfigEdit, replaceSpan, spanText, UnsupportedEditError} from '../config/edit.js'
import {sha256} from '../digest.js'
import {AgentgovError, errorMessage, ExitCode} from '../errors.js'
import {redactText} from '../detect/secrets.js'
import {VERSION} from '../version.js'
import {commitFile, readSnapshot, type Snapshot, withFileLock} from './files.js'
import {checkLauncher, launcherHead, type LauncherHealth, type LaunchForm, launchFormFor, proxyArgv} from './launch.js'
import {backupPath, dropRecord, loadRecord, readBackup, type RecordEntry, saveRecord, WRAP_SCHEMA, type WrapRecord} from './records.js'
import type {Target} from './targets.js'

export type ServerAction = 'already-governed' | 'gone' | 'left' | 'repaired' | 'restored' | 'skipped' | 'wrapped'

export interface ServerOutcome {
  client: string
  name: string
  project?: string
  action: ServerAction
  reason?: string
}

export type FileStatus = 'changed' | 'error' | 'unchanged'

export interface FileOutcome {
  file: string
  clients: string[]
  status: FileStatus
  /** How unwrap put the file back: the byte-exact backup, or entry by entry around the user's edits. */
  restore?: 'entries' | 'exact'
  message?: string
  exitCode?: number
  servers: ServerOutcome[]
  diff?: string
  backup?: string
}

export interface RunOptions {
  stateDir: string
  dryRun: boolean
  agent?: string
  policy?: string
  /** The launch form for every file (default: by the file's scope, launchFormFor). */
  launch?: LaunchForm
  /** For tests: node binary and agentgov entry written into launches. */
  node?: string
  entry?: string
}

interface Parsed {
  snapshot: Snapshot
  doc: ConfigDocument
}

async function parseTarget(target: Target, purpose: 'read' | 'write'): Promise<Parsed> {
  const snapshot = await readSnapshot(target.file, purpose)
  try {
    return {snapshot, doc: parseConfig(snapshot.text, target.format)}
  } catch (error) {
    const where = error instanceof ConfigSyntaxError && error.line ? ` at line ${error.line}, column ${error.column}` : ''
    throw new AgentgovError(`${target.file} is not valid ${target.format.toUpperCase()}${where}: ${errorMessage(error)}.`, {
      exit: ExitCode.input,
      hint: 'Fix the file (or let its client rewrite it) and run again; nothing was changed.',
      cause: error,
    })
  }
}

function serversOf(target: Target, doc: ConfigDocument): Array<{adapter: ClientAdapter; location: ConfigLocation; entry: ServerEntry}> {
  return target.readers.flatMap(({adapter, location}) => adapter.read(doc, location).servers.map((entry) => ({adapter, location, entry})))
}

function outcome(adapter: ClientAdapter, entry: ServerEntry, action: ServerAction, reason?: string): ServerOutcome {
  return {client: adapter.id, name: entry.name, ...(entry.project && {project: entry.project}), action, ...(reason && {reason})}
}

function absoluteEdits(path: DocPath, edits: EntryEdit[]): ConfigEdit[] {
  return edits.map((edit) =>
    edit.op === 'set'
      ? {op: 'set', path: [...path, ...edit.key], value: edit.value, ...(edit.after && {after: edit.after})}
      : {op: 'delete', path: [...path, ...edit.key]},
  )
}

function failed(target: Target, error: unknown): FileOutcome {
  if (!(error instanceof AgentgovError)) throw error
  return {
    file: target.file,
    clients: target.readers.map((r) => r.adapter.id),
    status: 'error',
    message: error.hint ? `${error.message} ${error.hint}` : error.message,
    exitCode: error.exitCode,
    servers: [],
  }
}

/** The diff a person sees: its context lines hold the config's `env` and headers, so secrets in it are redacted. */
function unifiedDiff(file: string, before: string, after: string): string {
  return redactText(createTwoFilesPatch(file, file, before, after, 'current', 'after agentgov', {context: 3}))
}

// ---------------------------------------------------------------------------------------------
// wrap

/** Route every entry of each target through `agentgov proxy`, one locked, atomic write per file. */
export async function wrapTargets(targets: readonly Target[], options: RunOptions): Promise<FileOutcome[]> {
  return eachFile(targets, options, wrapFile)
}

/**
 * Files are independent (one lock each), so several are worked on at once: most of a run's time is
 * waiting for fsync, which overlaps. Results keep the order of the targets.
 */
async function eachFile(
  targets: readonly Target[],
  options: RunOptions,
  work: (target: Target, options: RunOptions) => Promise<FileOutcome>,
): Promise<FileOutcome[]> {
  const results: FileOutcome[] = Array.from({length: targets.length})
  let next = 0
  const worker = async () => {
    while (next < targets.length) {
      const index = next++
      const target = targets[index]
      try {
        results[index] = options.dryRun ? await work(target, options) : await withFileLock(options.stateDir, target.file, () => work(target, options))
      } catch (error) {
        results[index] = failed(target, error)
      }
    }
  }

  await Promise.all(Array.from({length: Math.min(8, targets.length)}, worker))
  return results
}

async function wrapFile(target: Target, options: RunOptions): Promise<FileOutcome> {
  const {snapshot, doc} = await parseTarget(target, options.dryRun ? 'read' : 'write')
  const servers: ServerOutcome[] = []
  const added: RecordEntry[] = []
  const repaired: RecordEntry[] = []
  const form = options.launch ?? launchFormFor(target.readers.map((r) => r.location.scope))
  let text = snapshot.text
  for (const {adapter, entry} of serversOf(target, doc)) {
    const governed = parseGovernedLaunch(entry.command, entry.args)
    if (governed) {
      const repair = adapter.rewrite && repairedText(target, text, adapter, entry, governed, {form, node: options.node, entry: options.entry})
      if (!repair) {
        servers.push(outcome(adapter, entry, 'already-governed'))
        continue
      }

      text = repair.text
      repaired.push({client: adapter.id, name: entry.name, ...(entry.project && {project: entry.project}), path: entry.path, kind: 'stdio', original: '', wrapped: ''})
      servers.push(outcome(adapter, entry, 'repaired', `its launcher was stale: ${repair.reason}`))
      continue
    }

    if (!adapter.rewrite) {
      servers.push(outcome(adapter, entry, 'skipped', `agentgov does not rewrite ${adapter.name} configs`))
      continue
    }

    const launch = {agent: options.agent ?? adapter.id, server: entry.name, policy: options.policy, form, node: options.node, entry: options.entry}
    const plan = planEntry(adapter.rewrite, getIn(doc.value, entry.path), entry, (tail) => proxyArgv(launch, tail))
    if ('skip' in plan) {
      servers.push(outcome(adapter, entry, 'skipped', `left unchanged: ${plan.skip}`))
      continue
    }

    const original = spanText(text, target.format, entry.path)
    let next: string
    try {
      next = applyConfigEdits(text, target.format, absoluteEdits(entry.path, plan.edits))
    } catch (error) {
      if (!(error instanceof UnsupportedEditError)) throw error
      servers.push(outcome(adapter, entry, 'skipped', `left unchanged: ${error.message}`))
      continue
    }

    text = next
    added.push({
      client: adapter.id,
      name: entry.name,
      ...(entry.project && {project: entry.project}),
      path: entry.path,
      kind: plan.kind,
      original: original ?? '',
      wrapped: '',
    })
    servers.push(outcome(adapter, entry, 'wrapped'))
  }

  const base = {file: target.file, clients: target.readers.map((r) => r.adapter.id), servers}
  if (added.length === 0 && repaired.length === 0) return {...base, status: 'unchanged'}
  checkGoverned(target, text, [...added, ...repaired])
  for (const entry of added) entry.wrapped = spanText(text, target.format, entry.path) ?? ''
  if (options.dryRun) return {...base, status: 'changed', diff: unifiedDiff(target.file, snapshot.text, text)}

  const previous = await loadRecord(options.stateDir, target.file)
  if (!previous && added.length === 0) {
    // Repaired entries wrapped elsewhere: no record to update; unwrap rebuilds them from their `--` argv.
    await commitFile(snapshot, text)
    return {...base, status: 'changed'}
  }

  if (previous && added.length === 0) return {...base, ...(await commitRepairs(options.stateDir, target, snapshot, text, previous))}
  const record = await nextRecord(options.stateDir, target, snapshot, text, added, previous)
  await saveRecord(options.stateDir, record.record, record.backup)
  try {
    await commitFile(snapshot, text)
  } catch (error) {
    // The client's file is untouched: the record must not claim otherwise.
    if (previous) await saveRecord(options.stateDir, previous)
    else await dropRecord(options.stateDir, target.file)
    throw error
  }

  return {...base, status: 'changed', backup: record.record.backup}
}

/**
 * Repairs only: the record keeps its byte-exact original (no second backup); it learns the entries'
 * new text, and the file's new hash when the file was as wrap left it (else unwrap goes entry by entry
 * and keeps the user's edits, as before).
 */
async function commitRepairs(stateDir: string, target: Target, snapshot: Snapshot, text: string, previous: WrapRecord): Promise<Pick<FileOutcome, 'backup' | 'status'>> {
  const record: WrapRecord = {
    ...previous,
    agentgov: VERSION,
    wrappedSha256: snapshot.sha === previous.wrappedSha256 ? sha256(text) : previous.wrappedSha256,
    entries: previous.entries.map((entry) => ({...entry, wrapped: spanText(text, target.format, entry.path) ?? entry.wrapped})),
  }
  await saveRecord(stateDir, record)
  try {
    await commitFile(snapshot, text)
  } catch (error) {
    await saveRecord(stateDir, previous)
    throw error
  }

  return {status: 'changed', backup: record.backup}
}

/**
 * A governed entry whose launcher no longer starts this agentgov (node or the package moved, another
 * version, a form its scope does not use): the same proxy options behind this wrap's launcher. The
 * record keeps its original, so unwrap still restores the file byte for byte.
 */
function repairedText(
  target: Target,
  text: string,
  adapter: ClientAdapter,
  entry: ServerEntry,
  governed: NonNullable<ReturnType<typeof parseGovernedLaunch>>,
  launch: Parameters<typeof launcherHead>[0],
): {text: string; reason: string} | undefined {
  const health = checkLauncher(governed.launcher)
  const wanted = launcherHead(launch)
  const formDiffers = health.form !== (launch.form === 'npx' ? 'npx' : 'absolute') && health.form !== 'path'
  if ((health.ok && !formDiffers) || governed.launcher.join('\0') === wanted.join('\0')) return undefined
  const edits = unplanEntry(adapter.rewrite!, getIn(parseConfig(text, target.format).value, entry.path), [...wanted, 'proxy', ...governed.rest])
  if (!edits) return undefined
  try {
    return {text: applyConfigEdits(text, target.format, absoluteEdits(entry.path, edits)), reason: health.problem ?? `a ${launch.form} launcher suits this file`}
  } catch (error) {
    if (error instanceof UnsupportedEditError) return undefined
    throw error
  }
}

/** Discover must read what wrap wrote as governed (docs/proxy-cli.md): a disagreement is a bug, caught before writing. */
function checkGoverned(target: Target, text: string, added: RecordEntry[]): void {
  const doc = parseConfig(text, target.format)
  const governed = new Set(
    serversOf(target, doc)
      .filter(({entry}) => parseGovernedLaunch(entry.command, entry.args))
      .map(({adapter, entry}) => `${adapter.id}\0${entry.project ?? ''}\0${entry.name}`),
  )
  for (const entry of added) {
    if (!governed.has(`${entry.client}\0${entry.project ?? ''}\0${entry.name}`)) {
      throw new AgentgovError(`agentgov wrote a launch for "${entry.name}" in ${target.file} that it does not recognise as governed, so nothing was written.`, {
        exit: ExitCode.internal,
      })
    }
  }
}

/**
 * The record after this wrap. A first wrap keeps the file as it was. A later one (new servers since)
 * keeps, as its byte-exact original, the current file with the earlier wraps undone entry by entry,
 * so that unwrap never throws away a server the user added in between.
 */
async function nextRecord(
  stateDir: string,
  target: Target,
  snapshot: Snapshot,
  wrappedText: string,
  added: RecordEntry[],
  previous: WrapRecord | undefined,
): Promise<{record: WrapRecord; backup: Buffer}> {
  let original = snapshot.bytes
  let entries = added
  if (previous) {
    const undone = restoreEntries(target, snapshot.text, previous.entries, false)
    original = Buffer.from(undone.text, 'utf8')
    entries = [...previous.entries.filter((old) => !added.some((a) => sameEntry(a, old))), ...added].map((entry) => ({
      ...entry,
      wrapped: spanText(wrappedText, target.format, entry.path) ?? entry.wrapped,
    }))
  }

  const record: WrapRecord = {
    schema: WRAP_SCHEMA,
    file: target.file,
    format: target.format,
    clients: [...new Set(entries.map((e) => e.client))],
    wrappedAt: new Date().toISOString(),
    agentgov: VERSION,
    originalSha256: sha256(original),
    wrappedSha256: sha256(wrappedText),
    backup: backupPath(stateDir, target.file),
    entries,
  }
  return {record, backup: original}
}

function sameEntry(a: Pick<RecordEntry, 'client' | 'name' | 'project'>, b: Pick<RecordEntry, 'client' | 'name' | 'project'>): boolean {
  return a.client === b.client && a.name === b.name && (a.project ?? '') === (b.project ?? '')
}

// ---------------------------------------------------------------------------------------------
// unwrap

export async function unwrapTargets(targets: readonly Target[], options: RunOptions): Promise<FileOutcome[]> {
  return eachFile(targets, options, unwrapFile)
}

async function unwrapFile(target: Target, options: RunOptions): Promise<FileOutcome> {
  const record = await loadRecord(options.stateDir, target.file)
  const {snapshot} = await parseTarget(target, options.dryRun ? 'read' : 'write')
  const base = {file: target.file, clients: target.readers.map((r) => r.adapter.id)}
  let next: Buffer | string
  let servers: ServerOutcome[]
  let restore: FileOutcome['restore']
  const backup = record && snapshot.sha === record.wrappedSha256 ? await readBackup(record) : undefined
  if (record && backup) {
    next = backup
    restore = 'exact'
    servers = record.entries.map((e) => ({client: e.client, name: e.name, ...(e.project && {project: e.project}), action: 'restored' as const}))
  } else {
    const undone = restoreEntries(target, snapshot.text, record?.entries ?? [], true)
    next = undone.text
    servers = undone.servers
    restore = 'entries'
  }

  const changed = Buffer.isBuffer(next) ? !next.equals(snapshot.bytes) : next !== snapshot.text
  if (!changed) {
    if (record && !options.dryRun) await dropRecord(options.stateDir, target.file)
    return {...base, status: 'unchanged', servers}
  }

  const nextText = Buffer.isBuffer(next) ? next.toString('utf8') : next
  if (options.dryRun) return {...base, status: 'changed', restore, servers, diff: unifiedDiff(target.file, snapshot.text, nextText)}
  await commitFile(snapshot, next)
  if (record) await dropRecord(options.stateDir, target.file)
  return {...base, status: 'changed', restore, servers}
}

/**
 * Undo wraps entry by entry, keeping every other edit the user made since. An entry that still reads
 * as wrap wrote it gets its original text back verbatim; one the user changed while wrapped gets its
 * inner launch back (their other changes stay); a governed entry agentgov has no record of (an older
 * install, another machine) is rebuilt from its `-- <command> <args…>` when it is a stdio launch.
 */
function restoreEntries(
  target: Target,
  text: string,
  recorded: readonly RecordEntry[],
  rebuildUnrecorded: boolean,
): {text: string; servers: ServerOutcome[]} {
  const servers: ServerOutcome[] = []
  const format = target.format
  const current = () => serversOf(target, parseConfig(text, format))
  for (const rec of recorded) {
    const found = current().find(({adapter, entry}) => sameEntry({client: adapter.id, name: entry.name, project: entry.project}, rec))
    const said = {client: rec.client, name: rec.name, ...(rec.project && {project: rec.project})}
    if (!found) {
      servers.push({...said, action: 'gone', reason: 'no longer in the file'})
      continue
    }

    const governed = parseGovernedLaunch(found.entry.command, found.entry.args)
    if (!governed) {
      servers.push({...said, action: 'left', reason: 'no longer launched through agentgov'})
      continue
    }

    if (spanText(text, format, found.entry.path) === rec.wrapped) {
      text = replaceSpan(text, format, found.entry.path, rec.original) ?? text
      servers.push({...said, action: 'restored'})
    } else {
      const inverse = inverseEdits(found.adapter, format, text, found.entry, governed.inner)
      if (inverse) {
        text = inverse
        servers.push({...said, action: 'restored', reason: 'your later changes to this entry were kept'})
      } else {
        text = replaceSpan(text, format, found.entry.path, rec.original) ?? text
        servers.push({...said, action: 'restored', reason: 'changes made to this entry since wrap were replaced by its original'})
      }
    }
  }

  for (const {adapter, entry} of rebuildUnrecorded ? current() : []) {
    const governed = parseGovernedLaunch(entry.command, entry.args)
    if (!governed || recorded.some((rec) => sameEntry({client: adapter.id, name: entry.name, project: entry.project}, rec))) continue
    const inverse = inverseEdits(adapter, format, text, entry, governed.inner)
    if (inverse) {
      text = inverse
      servers.push(outcome(adapter, entry, 'restored', 'rebuilt from its proxy launch (no record of the original)'))
    } else {
      servers.push(outcome(adapter, entry, 'left', 'agentgov holds no record of how this remote entry was written'))
    }
  }

  return {text, servers}
}

function inverseEdits(adapter: ClientAdapter, format: ConfigFormat, text: string, entry: ServerEntry, inner: string[]): string | undefined {
  if (!adapter.rewrite || inner.length === 0) return undefined
  const edits = unplanEntry(adapter.rewrite, getIn(parseConfig(text, format).value, entry.path), inner)
  if (!edits) return undefined
  try {
    return applyConfigEdits(text, format, absoluteEdits(entry.path, edits))
  } catch (error) {
    if (error instanceof UnsupportedEditError) return undefined
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// status

export interface ServerStatus {
  client: string
  name: string
  project?: string
  wrapped: boolean
  /** Whether agentgov holds the entry's original (so unwrap restores it exactly). */
  recorded: boolean
  /** For a wrapped entry: whether its launcher starts this agentgov (`agentgov doctor` says more). */
  launcher?: LauncherHealth
  /** For a wrapped entry: the `--policy` it names (none: the state directory's policy.yaml). */
  policy?: string
}

export interface FileState {
  file: string
  clients: string[]
  /** Undefined when agentgov never wrapped the file. */
  wrappedAt?: string
  /** The file changed since agentgov wrapped it (unwrap then restores entry by entry). */
  changedSinceWrap?: boolean
  error?: string
  servers: ServerStatus[]
}

export async function statusOf(targets: readonly Target[], stateDir: string): Promise<FileState[]> {
  const states: FileState[] = []
  for (const target of targets) {
    const record = await loadRecord(stateDir, target.file)
    const state: FileState = {file: target.file, clients: target.readers.map((r) => r.adapter.id), servers: []}
    if (record) state.wrappedAt = record.wrappedAt
    try {
      const {snapshot, doc} = await parseTarget(target, 'read')
      if (record) state.changedSinceWrap = snapshot.sha !== record.wrappedSha256
      state.servers = serversOf(target, doc).map(({adapter, entry}) => {
        const governed = parseGovernedLaunch(entry.command, entry.args)
        return {
          client: adapter.id,
          name: entry.name,
          ...(entry.project && {project: entry.project}),
          wrapped: governed !== undefined,
          recorded: record?.entries.some((rec) => sameEntry({client: adapter.id, name: entry.name, project: entry.project}, rec)) ?? false,
          ...(governed && {launcher: checkLauncher(governed.launcher)}),
          ...(governed?.policy && {policy: governed.policy}),
        }
      })
    } catch (error) {
      state.error = error instanceof AgentgovError ? error.message : errorMessage(error)
    }

    states.push(state)
  }

  return states
}
