import {closeSync, type Dirent, fstatSync, openSync, readdirSync, readSync, statSync} from 'node:fs'
import {stat} from 'node:fs/promises'
import {resolve, sep} from 'node:path'

import type {ClientAdapter} from '../clients/types.js'
import type {ConfigFormat} from '../config/document.js'
import type {FrameworkEntry} from './frameworks.js'
import {type Language, lineAt, scanImports} from './imports.js'
import {INSTRUCTION_FILES} from './instructions.js'
import {manifestName, marksProject, PROJECT_FILE_PARSERS, type ProjectFileKind, projectFileKind} from './manifests.js'
import {envKeys, isEnvFile} from './provider-keys.js'
import type {EnvFileRecord, EvidenceRecord, FrameworkRecord, InstructionFileRecord, PackageRecord, RepositoryRecord} from './types.js'
import {compileExclude, type ExcludeRule, type IgnoreRule, parseGitignore, relativeTo} from './walk-filter.js'

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
/** Lockfiles of large workspaces run to tens of megabytes. */
const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024
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
  ['rs', 'rust'],
  ['java', 'jvm'],
  ['kt', 'jvm'],
  ['cs', 'dotnet'],
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

interface FrameworkState {
  entry: FrameworkEntry
  /** One row per kind and file: `kind\0file`. */
  evidence: Map<string, EvidenceRecord>
}

interface PackageState {
  path: string
  name?: string
  frameworks: Map<string, FrameworkState>
}

interface RepoState {
  path: string
  kind: RepositoryRecord['kind']
  frameworks: Map<string, FrameworkState>
  packages: PackageState[]
  instructionFiles: InstructionFileRecord[]
  envFiles: EnvFileRecord[]
  mcpConfigs: Set<string>
}

interface DirTask {
  path: string
  /** Directory names from the scan root down to this directory. */
  dirs: string[]
  repo: RepoState
  /** The workspace package (a directory with its own manifest inside the repository) it is in. */
  pkg?: PackageState
  isRoot: boolean
  /** .gitignore rules in force here, outermost file first (only with `gitignore`). */
  ignore: readonly IgnoreRule[]
}

type FileTask =
  | {kind: 'env'; path: string; repo: RepoState}
  | {kind: 'project'; file: ProjectFileKind; path: string; repo: RepoState; pkg?: PackageState}
  | {kind: 'source'; language: Language; path: string; repo: RepoState; pkg?: PackageState}

export interface WalkOptions {
  /** Globs of paths (relative to the scan root) or names to leave out, as `--exclude` gives them. */
  exclude?: readonly string[]
  /** Skip what the repositories' .gitignore files ignore. */
  gitignore?: boolean
  /** Called between slices of the walk with what it has seen so far. */
  onProgress?: (progress: {repositories: number; files: number}) => void
}

/** Source files whose head says they were generated: their imports are a generator's, not the project's. */
const GENERATED_MARK = /@generated\b|\bDO NOT EDIT\b|\bauto-?generated\b/i

class Scanner {
  private readonly rules: RuleIndex
  private readonly repos: RepoState[] = []
  private readonly configFiles: RepoConfigFile[] = []
  private readonly configKeys = new Set<string>()
  private filesVisited = 0
  private readonly exclude: ExcludeRule[]
  private readonly names = new Map<string, string>()

  private readonly dirQueue: DirTask[] = []
  private readonly fileQueue: FileTask[] = []
  private readonly head = Buffer.allocUnsafe(SOURCE_HEAD_BYTES)

  constructor(
    clients: readonly ClientAdapter[],
    private readonly options: WalkOptions,
  ) {
    this.rules = buildRuleIndex(clients)
    this.exclude = (options.exclude ?? []).map((glob) => compileExclude(glob))
  }

  async scan(roots: string[]): Promise<RepoScanResult> {
    for (const root of await scanRoots(roots)) {
      const repo = this.newRepo(root, 'folder')
      this.dirQueue.push({path: root, dirs: [], repo, isRoot: true, ignore: []})
    }

    await new Promise<void>((done, fail) => this.slice(done, fail))
    return this.result()
  }

  private newRepo(path: string, kind: RepositoryRecord['kind']): RepoState {
    const repo: RepoState = {path, kind, frameworks: new Map(), packages: [], instructionFiles: [], envFiles: [], mcpConfigs: new Set()}
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
          this.options.onProgress?.({repositories: this.repos.filter((r) => r.kind !== 'folder').length, files: this.filesVisited})
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
    let git: Dirent | undefined
    let manifest = false
    let gitignore = false
    const dirName = task.dirs.at(-1) ?? ''
    for (const entry of entries) {
      const name = entry.name
      if (!task.isRoot && ENV_MARKERS.has(name)) return
      if (name === '.git') git = entry
      else if (name === '.gitignore') gitignore = true
      else if (!manifest && !entry.isDirectory()) {
        const kind = projectFileKind(name, dirName)
        manifest = kind !== undefined && marksProject(kind, name)
      }
    }

    let {repo, pkg} = task
    if (git) {
      const kind = gitKind(task.path, git)
      if (task.isRoot) repo.kind = kind
      else repo = this.newRepo(task.path, kind)
      pkg = undefined
    } else if (manifest) {
      if (repo.kind === 'folder') {
        // The outermost directory with a manifest and no git is the project; the root included.
        if (task.isRoot) repo.kind = 'project'
        else repo = this.newRepo(task.path, 'project')
        pkg = undefined
      } else if (task.path !== repo.path) {
        pkg = {path: task.path, frameworks: new Map()}
        repo.packages.push(pkg)
      }
    }

    const ignore = gitignore && this.options.gitignore ? [...task.ignore, ...readGitignore(task.path, task.dirs)] : task.ignore
    const filtering = this.exclude.length > 0 || ignore.length > 0
    const here: DirTask = {...task, repo, pkg, ignore}
    const globRules = this.rules.globByParent.get(dirName)
    for (const entry of entries) {
      const name = entry.name
      const isDir = entry.isDirectory()
      if (filtering && this.leftOut(task.dirs, name, isDir, ignore)) continue
      if (isDir) {
        if (!SKIP_DIRS.has(name)) this.dirQueue.push({path: childPath(task.path, name), dirs: [...task.dirs, name], repo, pkg, isRoot: false, ignore})
      } else if (entry.isFile()) {
        if (name !== '.git') this.visitFile(here, name, globRules)
      } else if (entry.isSymbolicLink() && this.wantsByName(task, name, globRules)) {
        // A symlinked config or manifest is what the client would read; a symlinked directory is
        // never entered, so a link can neither loop nor lead outside the tree.
        if (isFileTarget(childPath(task.path, name))) this.visitFile(here, name, globRules)
      }
    }
  }

  /** Excluded by --exclude, or ignored by a .gitignore in force (the last matching rule decides). */
  private leftOut(dirs: readonly string[], name: string, isDir: boolean, ignore: readonly IgnoreRule[]): boolean {
    const rel = dirs.length === 0 ? name : `${dirs.join('/')}/${name}`
    for (const rule of this.exclude) if ((rule.anchored ? rule.regex.test(rel) : rule.regex.test(name)) && (isDir || !rule.dirOnly)) return true
    for (let i = ignore.length - 1; i >= 0; i--) {
      const rule = ignore[i]
      if (rule.dirOnly && !isDir) continue
      const subject = rule.anchored ? relativeTo(rel, rule.base) : name
      if (subject !== undefined && rule.regex.test(subject)) return !rule.negate
    }

    return false
  }

  private wantsByName(task: DirTask, name: string, globRules: PathRule[] | undefined): boolean {
    return (
      this.rules.byName.has(name) ||
      globRules !== undefined ||
      this.rules.globAnywhere.length > 0 ||
      isEnvFile(name) ||
      projectFileKind(name, task.dirs.at(-1) ?? '') !== undefined
    )
  }

  private visitFile(task: DirTask, name: string, globRules: PathRule[] | undefined): void {
    const {repo, pkg} = task
    this.filesVisited++
    const dot = name.lastIndexOf('.')
    // setup.py is a manifest, not a source file whose imports count.
    const language = dot > 0 && name !== 'setup.py' ? SOURCE_LANGUAGE.get(name.slice(dot + 1)) : undefined
    if (language) {
      if (!name.endsWith('.d.ts') && !name.endsWith('.min.js')) this.fileQueue.push({kind: 'source', language, path: childPath(task.path, name), repo, pkg})
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

    const file = projectFileKind(name, task.dirs.at(-1) ?? '')
    if (file && file !== 'marker') this.fileQueue.push({kind: 'project', file, path: childPath(task.path, name), repo, pkg})
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
      if (text && !GENERATED_MARK.test(text.slice(0, 512))) this.sourceFile(task, text)
      return
    }

    const text = readText(task.path, task.kind === 'project' ? MAX_LOCKFILE_BYTES : MAX_TEXT_BYTES)
    if (text === undefined) return
    if (task.kind === 'env') {
      const keys = envKeys(text)
      if (keys.length > 0) task.repo.envFiles.push({path: task.path, keys})
      return
    }

    const parser = PROJECT_FILE_PARSERS[task.file as Exclude<ProjectFileKind, 'marker'>]
    if (parser.evidence === 'dependency' && task.pkg && !task.pkg.name && isInDir(task.path, task.pkg.path)) {
      const name = manifestName(task.file, text)
      if (name) task.pkg.name = name
    }

    for (const hit of parser.parse(text)) {
      this.addEvidence(task, hit.entry, {kind: parser.evidence, file: task.path, package: hit.name, language: parser.language, line: hit.line})
    }
  }

  /** The first SOURCE_HEAD_BYTES of a file, decoded as latin1 (imports are ASCII; no validation pass). */
  private readHead(path: string): string | undefined {
    return withOpenFile(path, (fd) => this.head.toString('latin1', 0, readSync(fd, this.head, 0, SOURCE_HEAD_BYTES, 0)))
  }

  private sourceFile(task: FileTask & {kind: 'source'}, text: string): void {
    for (const hit of scanImports(task.language, text)) {
      this.addEvidence(task, hit.entry, {kind: 'import', file: task.path, package: hit.module, language: task.language, line: lineAt(text, hit.index)})
    }
  }

  private addEvidence(task: {repo: RepoState; pkg?: PackageState}, entry: FrameworkEntry, evidence: EvidenceRecord): void {
    if (evidence.line === undefined) delete evidence.line
    evidence.package = this.intern(evidence.package)
    keep(task.repo.frameworks, entry, evidence)
    if (task.pkg) keep(task.pkg.frameworks, entry, evidence)
  }

  /**
   * A name matched in a file's head is a slice of the whole 16 KB head string, and would keep it
   * alive as long as the evidence lives: each distinct name is copied out once and shared.
   */
  private intern(name: string): string {
    let copy = this.names.get(name)
    if (copy === undefined) {
      copy = Buffer.from(name, 'utf8').toString('utf8')
      this.names.set(copy, copy)
    }

    return copy
  }

  private result(): RepoScanResult {
    const repositories: RepositoryRecord[] = []
    for (const repo of this.repos) {
      const empty = repo.frameworks.size + repo.instructionFiles.length + repo.envFiles.length + repo.mcpConfigs.size === 0
      // A scan root that is no repository stands for the loose files beside the repositories it
      // holds, so it only shows when something was found there or nothing else was found under it.
      if (repo.kind === 'folder' && empty && this.repos.some((other) => other !== repo && other.kind !== 'folder' && isInside(other.path, repo.path))) continue
      const direct = new Set<string>()
      for (const [id, state] of repo.frameworks) {
        for (const evidence of state.evidence.values()) if (evidence.kind === 'dependency') direct.add(id)
      }

      repositories.push({
        path: repo.path,
        kind: repo.kind,
        frameworks: frameworkRecords(repo.frameworks, direct),
        packages: repo.packages
          .map((pkg): PackageRecord => ({path: pkg.path, ...(pkg.name ? {name: pkg.name} : {}), frameworks: frameworkRecords(pkg.frameworks, direct)}))
          .sort((a, b) => compare(a.path, b.path)),
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

/** One row per framework, file and kind; a second hit in the same file keeps the earliest line. */
function keep(frameworks: Map<string, FrameworkState>, entry: FrameworkEntry, evidence: EvidenceRecord): void {
  let state = frameworks.get(entry.id)
  if (!state) {
    state = {entry, evidence: new Map()}
    frameworks.set(entry.id, state)
  }

  const key = `${evidence.kind}\0${evidence.file}`
  const current = state.evidence.get(key)
  if (!current || (evidence.line ?? Infinity) < (current.line ?? Infinity)) state.evidence.set(key, current ? {...evidence} : evidence)
}

const EVIDENCE_ORDER: Record<EvidenceRecord['kind'], number> = {dependency: 0, lockfile: 1, import: 2}

/**
 * Sorted records. A lockfile row is transitive when no manifest of the repository names the
 * framework; a framework is transitive when nothing but such rows show it.
 */
function frameworkRecords(frameworks: Map<string, FrameworkState>, direct: ReadonlySet<string>): FrameworkRecord[] {
  const records: FrameworkRecord[] = []
  for (const [id, state] of frameworks) {
    const evidence = [...state.evidence.values()]
      .map((e): EvidenceRecord => (e.kind === 'lockfile' && !direct.has(id) ? {...e, transitive: true} : {...e}))
      .sort((a, b) => EVIDENCE_ORDER[a.kind] - EVIDENCE_ORDER[b.kind] || compare(a.file, b.file))
    records.push({
      framework: id,
      name: state.entry.name,
      languages: [...new Set(evidence.map((e) => e.language))].sort(),
      transitive: evidence.every((e) => e.transitive === true),
      evidence,
    })
  }

  return records.sort((a, b) => compare(a.framework, b.framework))
}

/**
 * A `.git` directory is a repository; a `.git` file (`gitdir: …`) is a worktree when it points into
 * another repository's `worktrees/`, a submodule when it points into `modules/`.
 */
function gitKind(dir: string, entry: Dirent): RepositoryRecord['kind'] {
  if (entry.isDirectory()) return 'git'
  const text = withOpenFile(childPath(dir, '.git'), (fd) => {
    const buffer = Buffer.alloc(1024)
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0))
  })
  const gitdir = /^gitdir:\s*(.+?)\s*$/m.exec(text ?? '')?.[1]?.replaceAll('\\', '/')
  if (gitdir?.includes('/worktrees/')) return 'worktree'
  if (gitdir?.includes('/modules/')) return 'submodule'
  return 'git'
}

/** Faster than path.join for an already-normal absolute directory; a root like `/` keeps one separator. */
function childPath(dir: string, name: string): string {
  return dir.endsWith(sep) ? dir + name : dir + sep + name
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Is the file directly in `dir`? */
function isInDir(file: string, dir: string): boolean {
  return file.length > dir.length + 1 && file.startsWith(dir) && file.charAt(dir.length) === sep && !file.includes(sep, dir.length + 1)
}

/** A directory's .gitignore rules; none when it cannot be read. */
function readGitignore(dir: string, dirs: readonly string[]): IgnoreRule[] {
  const text = readText(childPath(dir, '.gitignore'), MAX_TEXT_BYTES)
  return text ? parseGitignore(text, dirs.join('/')) : []
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

/** A whole text file; undefined when unreadable or larger than `max` bytes. */
function readText(path: string, max: number): string | undefined {
  return withOpenFile(path, (fd) => {
    const size = fstatSync(fd).size
    if (size > max) return undefined
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
export async function scanRepositories(roots: string[], clients: readonly ClientAdapter[], options: WalkOptions = {}): Promise<RepoScanResult> {
  return new Scanner(clients, options).scan(roots)
}
