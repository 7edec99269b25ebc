import {closeSync, type Dirent, fstatSync, openSync, readdirSync, readSync, statSync} from 'node:fs'
import {stat} from 'node:fs/promises'
import {resolve, sep} from 'node:path'

import type {ClientAdapter} from '../clients/types.js'
import type {ConfigFormat} from '../config/document.js'
import type {FrameworkEntry} from './frameworks.js'
import {type Language, lineAt, scanImports} from './imports.js'
import {INSTRUCTION_FILES} from './instructions.js'
import {type Manifest, MANIFEST_PARSERS, manifestKind} from './manifests.js'
import {envKeys, isEnvFile} from './provider-keys.js'
import type {EnvFileRecord, FrameworkRecord, InstructionFileRecord, RepositoryRecord} from './types.js'

export interface RepoConfigFile {
  path: string
  client: string
  format: ConfigFormat
  repository: string
}

export interface RepoScanResult {
  /** One per repository root found, sorted by path; every path in the result is absolute. */
  repositories: RepositoryRecord[]
  /** Project-level MCP config files, one row per client that reads the file. */
  configFiles: RepoConfigFile[]
  /** Files seen in the directories walked (dependency, build and cache trees are never walked). */
  filesVisited: number
}

/**
 * Directories that hold other people's code, generated output or caches. A template config inside
 * a dependency is not a server anyone configured, so these trees are never entered.
 */
export const SKIP_DIRS: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.venv',
  'venv',
  'site-packages',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'dist',
  'build',
  'out',
  'target',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.parcel-cache',
  'coverage',
  '.cache',
  '.npm',
  '.pnpm-store',
  '.yarn',
  '.gradle',
  '.terraform',
  '.direnv',
  'vendor',
])

/** A directory holding one of these is a Python or conda environment, whatever it is called. */
const ENV_MARKERS = new Set(['pyvenv.cfg', 'conda-meta'])

/** Bytes of a source file read for imports: imports sit at the top, and heads keep reads cheap. */
const SOURCE_HEAD_BYTES = 16 * 1024
/** Manifests and .env files larger than this are not what they claim to be. */
const MAX_TEXT_BYTES = 2 * 1024 * 1024
/**
 * The walk does its I/O synchronously in slices of this many milliseconds, yielding to the event
 * loop between slices. Measured on warm caches, a synchronous open/read/close of a file head costs
 * about half of the three thread-pool round trips the asynchronous calls need, and the walk is
 * dominated by exactly those; slicing keeps timers, spinners and concurrent scans running.
 */
const SLICE_MS = 10

// A Map, not an object: a file called `x.constructor` must not find Object.prototype's members.
const SOURCE_LANGUAGE: ReadonlyMap<string, Language> = new Map([
  ['py', 'python'],
  ['ts', 'javascript'],
  ['tsx', 'javascript'],
  ['mts', 'javascript'],
  ['cts', 'javascript'],
  ['js', 'javascript'],
  ['jsx', 'javascript'],
  ['mjs', 'javascript'],
  ['cjs', 'javascript'],
  ['go', 'go'],
])

// ---------------------------------------------------------------------------------------------
// Path rules: client project configs and instruction files, matched by name and path suffix.

type Segment = RegExp | string
const GLOBSTAR = Symbol('**')

type RuleValue = {type: 'config'; client: string; format: ConfigFormat} | {type: 'instruction'; kind: string; agents: string[]}

interface PathRule {
  /** Directory segments before the file name, outermost first. */
  parents: Array<Segment | typeof GLOBSTAR>
  last: Segment
  value: RuleValue
}

interface RuleIndex {
  byName: Map<string, PathRule[]>
  /** Rules whose file name is a glob, keyed by the literal name of the directory holding the file. */
  globByParent: Map<string, PathRule[]>
  /** Glob file names with no literal parent: tried on every file, so expected to stay empty. */
  globAnywhere: PathRule[]
}

function compileSegment(segment: string): Segment {
  if (!/[*?{[]/.test(segment)) return segment
  let source = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]
    if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '{') {
      const end = segment.indexOf('}', i)
      if (end === -1) source += String.raw`\{`
      else {
        source += `(?:${segment
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.replaceAll(/[.+^${}()|[\]\\*?]/g, String.raw`\$&`))
          .join('|')})`
        i = end
      }
    } else source += char.replaceAll(/[.+^${}()|[\]\\]/g, String.raw`\$&`)
  }

  return new RegExp(`^${source}$`)
}

function compileRule(path: string, value: RuleValue): PathRule {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.')
  const last = compileSegment(segments.pop() ?? '')
  return {parents: segments.map((s) => (s === '**' ? GLOBSTAR : compileSegment(s))), last, value}
}

function buildRuleIndex(clients: readonly ClientAdapter[]): RuleIndex {
  const index: RuleIndex = {byName: new Map(), globByParent: new Map(), globAnywhere: []}
  const add = (rule: PathRule) => {
    if (typeof rule.last === 'string') {
      push(index.byName, rule.last, rule)
      return
    }

    const parent = rule.parents.at(-1)
    if (typeof parent === 'string') push(index.globByParent, parent, rule)
    else index.globAnywhere.push(rule)
  }

  for (const client of clients) {
    for (const config of client.projectConfigs) {
      add(compileRule(config.path, {type: 'config', client: client.id, format: config.format}))
    }
  }

  for (const entry of INSTRUCTION_FILES) {
    for (const path of entry.paths) add(compileRule(path, {type: 'instruction', kind: entry.kind, agents: entry.agents}))
  }

  return index
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function segmentMatches(segment: Segment, name: string): boolean {
  return typeof segment === 'string' ? segment === name : segment.test(name)
}

/** Do the rule's parent segments match the end of `dirs` (directory names from the scan root)? */
function parentsMatch(parents: PathRule['parents'], dirs: readonly string[], i = parents.length - 1, j = dirs.length - 1): boolean {
  for (; i >= 0; i--, j--) {
    const segment = parents[i]
    if (segment === GLOBSTAR) {
      for (let k = j; k >= -1; k--) if (parentsMatch(parents, dirs, i - 1, k)) return true
      return false
    }

    if (j < 0 || !segmentMatches(segment, dirs[j])) return false
  }

  return true
}

// ---------------------------------------------------------------------------------------------
// The walk.

interface RepoState {
  path: string
  /** Set for repositories found by their `.git`; a scan root without one only reports findings. */
  marked: boolean
  frameworks: Map<string, FrameworkRecord>
  instructionFiles: InstructionFileRecord[]
  envFiles: EnvFileRecord[]
  mcpConfigs: Set<string>
}

interface DirTask {
  path: string
  /** Directory names from the scan root down to this directory. */
  dirs: string[]
  repo: RepoState
  isRoot: boolean
}

type FileTask =
  | {kind: 'env'; path: string; repo: RepoState}
  | {kind: 'manifest'; manifest: Manifest; path: string; repo: RepoState}
  | {kind: 'source'; language: Language; path: string; repo: RepoState}

class Scanner {
  private readonly rules: RuleIndex
  private readonly repos: RepoState[] = []
  private readonly configFiles: RepoConfigFile[] = []
  private readonly configKeys = new Set<string>()
  private filesVisited = 0

  private readonly dirQueue: DirTask[] = []
  private readonly fileQueue: FileTask[] = []
  private readonly head = Buffer.allocUnsafe(SOURCE_HEAD_BYTES)

  constructor(clients: readonly ClientAdapter[]) {
    this.rules = buildRuleIndex(clients)
  }

  async scan(roots: string[]): Promise<RepoScanResult> {
    for (const root of await scanRoots(roots)) {
      const repo = this.newRepo(root, false)
      this.dirQueue.push({path: root, dirs: [], repo, isRoot: true})
    }

    await new Promise<void>((done, fail) => this.slice(done, fail))
    return this.result()
  }

  private newRepo(path: string, marked: boolean): RepoState {
    const repo: RepoState = {path, marked, frameworks: new Map(), instructionFiles: [], envFiles: [], mcpConfigs: new Set()}
    this.repos.push(repo)
    return repo
  }

  /** Runs queued work until the slice is used up, then yields. Files first keeps the queue short. */
  private slice(done: () => void, fail: (error: unknown) => void): void {
    const deadline = performance.now() + SLICE_MS
    try {
      for (let n = 1; ; n++) {
        const file = this.fileQueue.pop()
        if (file) this.readFileTask(file)
        else {
          const dir = this.dirQueue.pop()
          if (!dir) break
          this.listDir(dir)
        }

        if ((n & 31) === 0 && performance.now() > deadline) {
          setImmediate(() => this.slice(done, fail))
          return
        }
      }
    } catch (error) {
      // Files that cannot be read are skipped where they are read; anything else is a bug, and
      // it must reject the scan rather than surface as an uncaught exception in a later tick.
      fail(error)
      return
    }

    done()
  }

  private listDir(task: DirTask): void {
    let entries: Dirent[]
    try {
      entries = readdirSync(task.path, {withFileTypes: true})
    } catch {
      return
    }

    this.visitDir(task, entries)
  }

  private visitDir(task: DirTask, entries: Dirent[]): void {
    let hasGit = false
    for (const entry of entries) {
      if (!task.isRoot && ENV_MARKERS.has(entry.name)) return
      if (entry.name === '.git') hasGit = true
    }

    let repo = task.repo
    if (hasGit) {
      if (task.isRoot) repo.marked = true
      else repo = this.newRepo(task.path, true)
    }

    const dirName = task.dirs.at(-1) ?? ''
    const globRules = this.rules.globByParent.get(dirName)
    for (const entry of entries) {
      const name = entry.name
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(name)) this.dirQueue.push({path: childPath(task.path, name), dirs: [...task.dirs, name], repo, isRoot: false})
      } else if (entry.isFile()) {
        if (name !== '.git') this.visitFile(task, repo, name, globRules)
      } else if (entry.isSymbolicLink() && this.wantsByName(task, name, globRules)) {
        // A symlinked config or manifest is what the client would read; a symlinked directory is
        // never entered, so a link can neither loop nor lead outside the tree.
        if (isFileTarget(childPath(task.path, name))) this.visitFile(task, repo, name, globRules)
      }
    }
  }

  private wantsByName(task: DirTask, name: string, globRules: PathRule[] | undefined): boolean {
    return (
      this.rules.byName.has(name) ||
      globRules !== undefined ||
      this.rules.globAnywhere.length > 0 ||
      isEnvFile(name) ||
      manifestKind(name, task.dirs.at(-1) ?? '') !== undefined
    )
  }

  private visitFile(task: DirTask, repo: RepoState, name: string, globRules: PathRule[] | undefined): void {
    this.filesVisited++
    const dot = name.lastIndexOf('.')
    const language = dot > 0 ? SOURCE_LANGUAGE.get(name.slice(dot + 1)) : undefined
    if (language) {
      if (!name.endsWith('.d.ts') && !name.endsWith('.min.js')) this.fileQueue.push({kind: 'source', language, path: childPath(task.path, name), repo})
      return
    }

    const named = this.rules.byName.get(name)
    if (named) this.applyRules(named, task, repo, name)
    if (globRules) this.applyRules(globRules, task, repo, name)
    if (this.rules.globAnywhere.length > 0) this.applyRules(this.rules.globAnywhere, task, repo, name)

    if (isEnvFile(name)) {
      this.fileQueue.push({kind: 'env', path: childPath(task.path, name), repo})
      return
    }

    const manifest = manifestKind(name, task.dirs.at(-1) ?? '')
    if (manifest) this.fileQueue.push({kind: 'manifest', manifest, path: childPath(task.path, name), repo})
  }

  private applyRules(rules: PathRule[], task: DirTask, repo: RepoState, name: string): void {
    for (const rule of rules) {
      if (!segmentMatches(rule.last, name) || !parentsMatch(rule.parents, task.dirs)) continue
      const path = childPath(task.path, name)
      const value = rule.value
      if (value.type === 'config') {
        const key = `${value.client}\0${path}`
        if (this.configKeys.has(key)) continue
        this.configKeys.add(key)
        repo.mcpConfigs.add(path)
        this.configFiles.push({path, client: value.client, format: value.format, repository: repo.path})
      } else if (!repo.instructionFiles.some((f) => f.path === path)) {
        repo.instructionFiles.push({path, kind: value.kind, agents: [...value.agents]})
      }
    }
  }

  private readFileTask(task: FileTask): void {
    if (task.kind === 'source') {
      const text = this.readHead(task.path)
      if (text) this.sourceFile(task.repo, task.path, task.language, text)
      return
    }

    const text = readText(task.path)
    if (text === undefined) return
    if (task.kind === 'env') {
      const keys = envKeys(text)
      if (keys.length > 0) task.repo.envFiles.push({path: task.path, keys})
      return
    }

    const parser = MANIFEST_PARSERS[task.manifest]
    for (const hit of parser.parse(text)) {
      this.addFramework(task.repo, hit.entry, parser.language, 'dependency', task.path, hit.line, hit.name)
    }
  }

  /** The first SOURCE_HEAD_BYTES of a file, decoded as latin1 (imports are ASCII; no validation pass). */
  private readHead(path: string): string | undefined {
    return withOpenFile(path, (fd) => this.head.toString('latin1', 0, readSync(fd, this.head, 0, SOURCE_HEAD_BYTES, 0)))
  }

  private sourceFile(repo: RepoState, path: string, language: Language, text: string): void {
    for (const hit of scanImports(language, text)) {
      this.addFramework(repo, hit.entry, language, 'import', path, lineAt(text, hit.index), hit.module)
    }
  }

  private addFramework(
    repo: RepoState,
    entry: FrameworkEntry,
    language: FrameworkRecord['language'],
    evidence: FrameworkRecord['evidence'],
    file: string,
    line: number | undefined,
    pkg: string,
  ): void {
    const key = `${entry.id}\0${evidence}`
    const current = repo.frameworks.get(key)
    // Reads finish in any order: keep the shallowest, then first-sorting, file so output is stable.
    if (current && !earlier(file, line, current)) return
    const record: FrameworkRecord = {framework: entry.id, name: entry.name, language, evidence, file, package: pkg}
    if (line !== undefined) record.line = line
    repo.frameworks.set(key, record)
  }

  private result(): RepoScanResult {
    const repositories: RepositoryRecord[] = []
    for (const repo of this.repos) {
      const empty = repo.frameworks.size + repo.instructionFiles.length + repo.envFiles.length + repo.mcpConfigs.size === 0
      // A scan root that is not a repository stands for the loose files beside the repositories it
      // holds, so it only shows when something was found there or nothing else was found under it.
      if (!repo.marked && empty && this.repos.some((other) => other !== repo && other.marked && isInside(other.path, repo.path))) continue
      repositories.push({
        path: repo.path,
        frameworks: [...repo.frameworks.values()].sort(
          (a, b) => compare(a.framework, b.framework) || compare(a.evidence, b.evidence) || compare(a.file, b.file),
        ),
        instructionFiles: repo.instructionFiles.sort((a, b) => compare(a.path, b.path)),
        envFiles: repo.envFiles.sort((a, b) => compare(a.path, b.path)),
        mcpConfigs: [...repo.mcpConfigs].sort(compare),
      })
    }

    repositories.sort((a, b) => compare(a.path, b.path))
    const configFiles = this.configFiles.sort((a, b) => compare(a.path, b.path) || compare(a.client, b.client))
    return {repositories, configFiles, filesVisited: this.filesVisited}
  }
}

/** Faster than path.join for an already-normal absolute directory; a root like `/` keeps one separator. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name
}

function earlier(file: string, line: number | undefined, current: FrameworkRecord): boolean {
  const depth = depthOf(file) - depthOf(current.file)
  if (depth !== 0) return depth < 0
  if (file !== current.file) return file < current.file
  return (line ?? Infinity) < (current.line ?? Infinity)
}

function depthOf(path: string): number {
  let depth = 0
  for (let i = path.indexOf(sep); i !== -1; i = path.indexOf(sep, i + 1)) depth++
  return depth
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function isInside(child: string, parent: string): boolean {
  return child !== parent && child.startsWith(parent.endsWith(sep) ? parent : parent + sep)
}

/** Does a symlink lead to a regular file? Dangling, looping and unreadable links do not. */
function isFileTarget(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** A whole small text file; undefined when unreadable or larger than MAX_TEXT_BYTES. */
function readText(path: string): string | undefined {
  return withOpenFile(path, (fd) => {
    const size = fstatSync(fd).size
    if (size > MAX_TEXT_BYTES) return undefined
    const buffer = Buffer.allocUnsafe(size)
    let filled = 0
    while (filled < size) {
      const bytes = readSync(fd, buffer, filled, size - filled, filled)
      if (bytes === 0) break
      filled += bytes
    }

    return buffer.toString('utf8', 0, filled)
  })
}

/** Run `read` on an open descriptor; a file that vanished or cannot be read is simply skipped. */
function withOpenFile(path: string, read: (fd: number) => string | undefined): string | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined
  }

  try {
    return read(fd)
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** Existing directories, absolute, with any root inside another root dropped (it is walked anyway). */
async function scanRoots(roots: string[]): Promise<string[]> {
  const dirs: string[] = []
  for (const root of new Set(roots.map((r) => resolve(r)))) {
    const stats = await stat(root).catch(() => undefined)
    if (stats?.isDirectory()) dirs.push(root)
  }

  return dirs.filter((dir) => !dirs.some((other) => isInside(dir, other))).sort(compare)
}



/**
 * Walk each root (one repository or a folder of many) and inventory what agents would find there:
 * project MCP configs, agent frameworks, instruction files and model-provider keys in .env files.
 * Reads only; never follows a symlinked directory; never enters dependency, build or cache trees.
 */
export async function scanRepositories(roots: string[], clients: readonly ClientAdapter[]): Promise<RepoScanResult> {
  return new Scanner(clients).scan(roots)
}
