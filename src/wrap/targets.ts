import {realpathSync} from 'node:fs'
import {resolve} from 'node:path'

import {CLIENTS, clientById} from '../clients/index.js'
import {formatOf} from '../clients/simple.js'
import type {ClientAdapter, ConfigLocation} from '../clients/types.js'
import type {ConfigFormat} from '../config/document.js'
import {scanMachine} from '../discovery/machine.js'
import type {ConfigRead} from '../discovery/read-config.js'
import {AgentgovError, ExitCode, mustExist} from '../errors.js'
import type {Host} from '../host.js'

/** One file to act on and the clients that read servers from it. */
export interface Target {
  file: string
  format: ConfigFormat
  readers: Array<{adapter: ClientAdapter; location: ConfigLocation}>
}

export interface Selection {
  files: string[]
  clients: string[]
  all: boolean
}

/** Admin and extension files are not the user's to rewrite: an update or an administrator owns them. */
const NOT_OURS: Partial<Record<ConfigLocation['scope'], string>> = {
  managed: 'it is managed by an administrator',
  system: 'it is a machine-wide file an administrator owns',
  extension: 'it belongs to an installed extension, whose updates would undo the change',
}

export interface Selected {
  targets: Target[]
  /** Files of the selection agentgov leaves alone, and why. */
  skipped: Array<{file: string; client: string; reason: string}>
  /** Every read of the machine scan (for allow-list warnings). */
  machine: ConfigRead[]
}

export function checkClients(names: readonly string[]): ClientAdapter[] {
  return names.map((name) => {
    const adapter = clientById(name)
    if (!adapter) {
      throw new AgentgovError(`Unknown client "${name}".`, {exit: ExitCode.usage, hint: `Known clients: ${CLIENTS.map((c) => c.id).join(', ')}.`})
    }

    return adapter
  })
}

/**
 * The files a selection names. `--all` and `--client` reuse discover's machine scan; a FILE is
 * matched against the machine's locations and the clients' project files, or read as `--client`.
 */
export async function selectTargets(host: Host, selection: Selection, extraFiles: readonly string[] = []): Promise<Selected> {
  const chosen = checkClients(selection.clients)
  const machine = await scanMachine(host)
  const byFile = new Map<string, Target>()
  const skipped: Selected['skipped'] = []
  const add = (file: string, adapter: ClientAdapter, location: ConfigLocation) => {
    const target = byFile.get(file) ?? {file, format: location.format, readers: []}
    if (!target.readers.some((r) => r.adapter === adapter)) target.readers.push({adapter, location})
    byFile.set(file, target)
  }

  const scanned = selection.files.length === 0
  if (scanned && (selection.all || chosen.length > 0)) {
    for (const read of machine) {
      if (chosen.length > 0 && !chosen.includes(read.adapter)) continue
      const notOurs = NOT_OURS[read.location.scope]
      if (notOurs) {
        if (read.servers.length > 0) skipped.push({file: read.location.path, client: read.adapter.id, reason: notOurs})
        continue
      }

      if (read.servers.length > 0 || read.record.status !== 'ok') add(read.location.path, read.adapter, read.location)
    }
  }

  for (const named of selection.files) mustExist(resolve(named), 'The config file')
  for (const named of [...selection.files, ...extraFiles]) {
    const file = resolve(named)
    const real = safeRealpath(file)
    const known = machine.filter((read) => read.location.path === file || safeRealpath(read.location.path) === real)
    const readers =
      chosen.length > 0
        ? chosen.map((adapter) => ({adapter, location: known.find((r) => r.adapter === adapter)?.location ?? guessLocation(adapter, file)}))
        : known.length > 0
          ? known.map((read) => ({adapter: read.adapter, location: {...read.location, path: file}}))
          : projectReaders(file)
    if (readers.length === 0) {
      throw new AgentgovError(`agentgov does not know which client reads ${named}.`, {
        exit: ExitCode.usage,
        hint: 'Name it with --client (see agentgov discover for the client ids).',
      })
    }

    for (const {adapter, location} of readers) add(file, adapter, location)
  }

  return {targets: [...byFile.values()], skipped, machine}
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

function guessLocation(adapter: ClientAdapter, file: string): ConfigLocation {
  const project = adapter.projectConfigs.find((p) => globTail(p.path).test(file.replaceAll('\\', '/')))
  return {path: file, scope: project ? 'project' : 'user', format: project?.format ?? formatOf(file)}
}

/** A file inside a repository, told by its tail: `…/.vscode/mcp.json` is VS Code's. */
function projectReaders(file: string): Target['readers'] {
  const posix = file.replaceAll('\\', '/')
  return CLIENTS.flatMap((adapter) => {
    const project = adapter.projectConfigs.find((p) => globTail(p.path).test(posix))
    return project ? [{adapter, location: {path: file, scope: 'project' as const, format: project.format}}] : []
  })
}

/** A project config's pattern as a regex over the tail of a posix path. */
export function globTail(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((part) => part.replaceAll(/[.+^${}()|[\]\\]/g, String.raw`\$&`).replaceAll('*', '[^/]*'))
    .join('/')
  return new RegExp(`(^|/)${body}$`)
}
