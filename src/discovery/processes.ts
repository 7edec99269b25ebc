import {execFile} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {parseGovernedLaunch} from '../clients/governed.js'
import type {ClientAdapter} from '../clients/types.js'
import {redactArgs, redactText} from '../detect/secrets.js'
import type {Platform} from '../host.js'
import {executableName, packageOf, splitCommandLine} from './packages.js'
import type {PackageRef, ProcessRecord} from './types.js'

export interface ProcessScan {
  supported: boolean
  processes: ProcessRecord[]
  note?: string
}

/** All the scan needs of an adapter. */
export type ProcessClient = Pick<ClientAdapter, 'id' | 'name' | 'processNames'>

export interface ScanProcessesOptions {
  platform: Platform
  clients: readonly ProcessClient[]
  /** Linux: where procfs is mounted (tests pass a fake tree). */
  procRoot?: string
  /** `pid ppid command` lines as `ps -axo pid=,ppid=,command=` prints them (tests; any platform). */
  psOutput?: string
}

interface RawProcess {
  pid: number
  ppid?: number
  argv: string[]
}

/**
 * Running MCP clients and MCP servers, read from the process table without signalling or attaching
 * to anything. Processes that exit or refuse to be read mid-scan are skipped.
 */
export async function scanProcesses(options: ScanProcessesOptions): Promise<ProcessScan> {
  let raw: RawProcess[]
  if (options.psOutput !== undefined) raw = parsePsOutput(options.psOutput, options.platform)
  else if (options.platform === 'win32') return {supported: false, processes: [], note: 'process scan is not supported on Windows yet'}
  else if (options.platform === 'darwin') {
    const output = await runPs()
    if (output instanceof Error) return {supported: false, processes: [], note: `could not run ps: ${output.message}`}
    raw = parsePsOutput(output, 'darwin')
  } else {
    const root = options.procRoot ?? '/proc'
    const listed = await readProcTree(root)
    if (listed instanceof Error) return {supported: false, processes: [], note: `could not read ${root}: ${listed.message}`}
    raw = listed
  }

  return {supported: true, processes: classify(raw, options.clients)}
}

// ---------------------------------------------------------------------------------------------------
// Reading the table

const PS_TIMEOUT_MS = 2000

function runPs(): Promise<Error | string> {
  return new Promise((resolve) => {
    execFile('ps', ['-axo', 'pid=,ppid=,command='], {timeout: PS_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, windowsHide: true}, (error, stdout) => {
      resolve(error ?? stdout)
    })
  })
}

function parsePsOutput(text: string, platform: Platform): RawProcess[] {
  const processes: RawProcess[] = []
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*?)\s*$/.exec(line)
    if (!match || match[3] === '') continue
    // Windows command lines are quoted; ps joins argv with spaces and loses where each argument ends.
    const argv = platform === 'win32' ? splitCommandLine(match[3]) : splitPsCommand(match[3])
    processes.push({pid: Number(match[1]), ppid: Number(match[2]), argv})
  }

  return processes
}

/**
 * macOS app executables live under `Foo Bar.app/Contents/MacOS/Foo Bar` and their names have spaces:
 * keep the executable path whole up to its first option. Other arguments split on spaces.
 */
function splitPsCommand(command: string): string[] {
  const bundle = command.lastIndexOf('/Contents/MacOS/')
  if (bundle === -1) return command.split(/\s+/).filter(Boolean)
  const optionAt = command.indexOf(' -', bundle)
  const end = optionAt === -1 ? command.length : optionAt
  return [command.slice(0, end), ...command.slice(end).split(/\s+/).filter(Boolean)]
}

const READ_BATCH = 64

async function readProcTree(root: string): Promise<Error | RawProcess[]> {
  let entries: string[]
  try {
    entries = await readdir(root)
  } catch (error) {
    return error as Error
  }

  const pids = entries.filter((entry) => /^\d+$/.test(entry))
  const processes: RawProcess[] = []
  // Batches keep the scan under the open-file limit on machines with thousands of processes.
  for (let i = 0; i < pids.length; i += READ_BATCH) {
    const batch = await Promise.all(pids.slice(i, i + READ_BATCH).map((pid) => readProc(root, pid)))
    for (const entry of batch) if (entry) processes.push(entry)
  }

  return processes
}

async function readProc(root: string, pid: string): Promise<RawProcess | undefined> {
  let cmdline: Buffer
  try {
    cmdline = await readFile(join(root, pid, 'cmdline'))
  } catch {
    return undefined
  }

  let argv = cmdline.toString('utf8').split('\0')
  if (argv.at(-1) === '') argv.pop()
  // Kernel threads and zombies have an empty command line.
  if (argv.length === 0 || argv[0] === '') return undefined
  // Processes that rewrite their title (setproctitle) leave one space-separated string.
  if (argv.length === 1 && /\s/.test(argv[0])) argv = argv[0].split(/\s+/).filter(Boolean)
  const stat = await readFile(join(root, pid, 'stat'), 'utf8').catch(() => undefined)
  return {pid: Number(pid), ppid: stat === undefined ? undefined : ppidOf(stat), argv}
}

/** `/proc/<pid>/stat`: `pid (comm) state ppid …`; comm may hold spaces and parentheses. */
function ppidOf(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ppid = Number(fields[1])
  return Number.isInteger(ppid) ? ppid : undefined
}

// ---------------------------------------------------------------------------------------------------
// Classifying

const INTERPRETERS = /^(?:node|nodejs|bun|deno|tsx|ts-node|python(?:\d+(?:\.\d+)*)?w?|py)$/
const INTERPRETER_VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-X', '-W', '-m'])

/** The executable, and the script when an interpreter runs one (`node /usr/local/bin/gemini`). */
function executables(argv: readonly string[]): string[] {
  const found = [argv[0]]
  if (!INTERPRETERS.test(executableName(argv[0]))) return found
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === 'run' && i === 1) continue
    if (arg.startsWith('-')) {
      if (INTERPRETER_VALUE_OPTIONS.has(arg)) i++
      continue
    }

    found.push(arg)
    break
  }

  return found
}

/** A path's last component, Windows executable extension dropped, case kept (`Cursor.exe` → `Cursor`). */
function baseName(path: string): string {
  return (path.replaceAll('\\', '/').split('/').pop() ?? '').replace(/\.(?:exe|cmd|bat|com|ps1)$/i, '')
}

/** `fragment` occurs in `path` as whole path components: `@google/gemini-cli` in `…/@google/gemini-cli/dist/index.js`. */
function hasFragment(path: string, fragment: string): boolean {
  const haystack = path.replaceAll('\\', '/')
  for (let at = haystack.indexOf(fragment); at !== -1; at = haystack.indexOf(fragment, at + 1)) {
    const end = at + fragment.length
    if ((at === 0 || haystack[at - 1] === '/') && (end === haystack.length || haystack[end] === '/' || haystack[end] === '@')) return true
  }

  return false
}

/**
 * processNames entries without a slash are executable basenames, compared exactly (so `code` is VS
 * Code's binary and never a path or file that merely contains "code"); entries with one are package
 * or path fragments matched against the executable or script path.
 */
function clientOf(argv: readonly string[], clients: readonly ProcessClient[]): ProcessClient | undefined {
  const paths = executables(argv)
  const names = paths.map((path) => baseName(path))
  return clients.find((client) =>
    (client.processNames ?? []).some((entry) =>
      /[\\/]/.test(entry) ? paths.some((path) => hasFragment(path, entry.replaceAll('\\', '/'))) : names.includes(entry),
    ),
  )
}

const MCP_NAME = /^mcp-server(?:-|$)|-mcp-server$|-mcp$/
const GENERIC_DIRS = new Set(['bin', 'build', 'cjs', 'dist', 'esm', 'lib', 'out', 'src'])

function normalise(token: string): string {
  return token
    .toLowerCase()
    .replaceAll('_', '-')
    .replace(/\.(?:[cm]?[jt]s|py|exe|cmd|bat)$/, '')
}

function isMcpName(token: string): boolean {
  const name = normalise(token)
  return MCP_NAME.test(name) || name.split('.').some((part) => MCP_NAME.test(part))
}

/** A package the runner fetches: `@modelcontextprotocol/server-*`, `*-mcp`, `@scope/mcp`, docker `mcp/*`. */
function isMcpPackage(pkg: PackageRef): boolean {
  const name = pkg.name.toLowerCase()
  if (name.startsWith('@modelcontextprotocol/server-')) return true
  if (pkg.ecosystem === 'docker' && /^(?:docker\.io\/)?mcp\//.test(name)) return true
  const last = name.split('/').pop() ?? ''
  if (name.startsWith('@') && last === 'mcp') return true
  // `uvx mcp-server-git`, `npx mcp-remote`: a runner launching an `mcp-*` package is launching a server.
  return isMcpName(last) || normalise(last).startsWith('mcp-')
}

/**
 * The parts of a local path that name what runs: the package inside node_modules, or the file and the
 * two directories above it (not the whole path: a project directory called `x-mcp` does not make every
 * tool run inside it a server).
 */
function localNames(path: string): string[] {
  const parts = path.replaceAll('\\', '/').split('/').filter(Boolean)
  const modules = parts.lastIndexOf('node_modules')
  if (modules !== -1 && modules + 1 < parts.length) {
    const scoped = parts[modules + 1].startsWith('@') ? `${parts[modules + 1]}/${parts[modules + 2] ?? ''}` : parts[modules + 1]
    return scoped === '.bin' ? [parts.at(-1)!] : [scoped]
  }

  return parts.slice(-3).reverse().filter((part) => !GENERIC_DIRS.has(part))
}

function hasMcpRunVerb(argv: readonly string[]): boolean {
  // Only near the start: `fastmcp run app.py`, `uv run mcp run server.py`, `python -m mcp run x.py`.
  return argv.slice(0, 6).some((arg, i) => (executableName(arg) === 'fastmcp' || executableName(arg) === 'mcp') && (argv[i + 1] === 'run' || argv[i + 1] === 'dev'))
}

interface ServerMatch {
  name: string
  /** An `agentgov proxy …` launch. */
  proxy: boolean
}

function serverOf(argv: readonly string[]): ServerMatch | undefined {
  const launch = parseGovernedLaunch(argv[0], argv.slice(1))
  if (launch) {
    const inner = launch.inner.length > 0 ? packageOf(launch.inner[0], launch.inner.slice(1)) : undefined
    return {name: launch.server ?? inner?.name ?? 'agentgov proxy', proxy: true}
  }

  const pkg = packageOf(argv[0], argv.slice(1))
  if (pkg && pkg.ecosystem !== 'local' && isMcpPackage(pkg)) return {name: pkg.name, proxy: false}
  const candidates = [...executables(argv).flatMap((path) => localNames(path)), ...(pkg?.ecosystem === 'local' ? localNames(pkg.name) : [])]
  for (const candidate of candidates) {
    if (candidate.startsWith('@modelcontextprotocol/server-') || isMcpName(candidate.split('/').pop()!)) return {name: candidate, proxy: false}
  }

  if (hasMcpRunVerb(argv)) return {name: pkg?.name ?? baseName(argv[0]), proxy: false}
  return undefined
}

const MAX_ANCESTORS = 64

function classify(raw: readonly RawProcess[], clients: readonly ProcessClient[]): ProcessRecord[] {
  const byPid = new Map(raw.map((entry) => [entry.pid, entry]))
  const clientCache = new Map<number, ProcessClient | undefined>()
  const clientFor = (entry: RawProcess): ProcessClient | undefined => {
    if (!clientCache.has(entry.pid)) clientCache.set(entry.pid, clientOf(entry.argv, clients))
    return clientCache.get(entry.pid)
  }

  const records: ProcessRecord[] = []
  for (const entry of [...raw].sort((a, b) => a.pid - b.pid)) {
    if (entry.pid === process.pid) continue
    const base = {pid: entry.pid, ...(entry.ppid !== undefined && {ppid: entry.ppid}), command: redactArgs(entry.argv).join(' ')}
    const client = clientFor(entry)
    if (client) {
      records.push({...base, kind: 'client', client: client.id, name: client.name, governed: false})
      continue
    }

    const server = serverOf(entry.argv)
    if (!server) continue
    // Up the parent chain to the client that launched it; an agentgov proxy on the way governs it.
    let governed = server.proxy
    let launcher: ProcessClient | undefined
    const seen = new Set([entry.pid])
    for (let parent = byPid.get(entry.ppid ?? -1), depth = 0; parent && !seen.has(parent.pid) && depth < MAX_ANCESTORS; depth++) {
      seen.add(parent.pid)
      launcher = clientFor(parent)
      if (launcher) break
      if (parseGovernedLaunch(parent.argv[0], parent.argv.slice(1))) governed = true
      parent = byPid.get(parent.ppid ?? -1)
    }

    records.push({...base, kind: 'mcp-server', ...(launcher && {client: launcher.id}), name: redactText(server.name), governed})
  }

  return withoutHelpers(records, byPid)
}

/**
 * Electron apps run a dozen helper processes (`--type=renderer`, `--type=utility`, …) under the same
 * executable name. They still count as the client when walking up from a server, but only the main
 * process is reported when there is one.
 */
function withoutHelpers(records: ProcessRecord[], byPid: ReadonlyMap<number, RawProcess>): ProcessRecord[] {
  const isHelper = (record: ProcessRecord): boolean => byPid.get(record.pid)?.argv.some((arg) => arg.startsWith('--type=')) ?? false
  const withMain = new Set(records.filter((record) => record.kind === 'client' && !isHelper(record)).map((record) => record.client))
  return records.filter((record) => record.kind !== 'client' || !isHelper(record) || !withMain.has(record.client))
}
