/*
 * Project files: dependency manifests (package.json in every dependency field, requirements*.txt,
 * pyproject.toml with PEP 621, PEP 735 groups and Poetry, Pipfile, setup.py, go.mod, Cargo.toml,
 * pom.xml, build.gradle(.kts), *.csproj) and lockfiles (package-lock.json, pnpm-lock.yaml,
 * yarn.lock, poetry.lock, uv.lock, Cargo.lock, go.sum). Each parser returns the catalogue's
 * frameworks with the line that names them; a file that does not parse yields nothing, never an
 * error. Manifests (and Gemfile, composer.json, *.sln, which name no catalogue framework) also mark
 * the directory holding them as a project root.
 */

import {parse as parseToml} from 'smol-toml'

import {
  CARGO_FRAMEWORKS,
  type FrameworkEntry,
  MAVEN_FRAMEWORKS,
  matchGoModule,
  normalisePypiName,
  NPM_FRAMEWORKS,
  NUGET_FRAMEWORKS,
  PYPI_FRAMEWORKS,
} from './frameworks.js'
import {lineAt} from './imports.js'
import type {EvidenceRecord} from './types.js'

export interface DependencyHit {
  entry: FrameworkEntry
  name: string
  line?: number
}

const NPM_DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const

function packageJsonDependencies(text: string): DependencyHit[] {
  let manifest: unknown
  try {
    manifest = JSON.parse(text)
  } catch {
    return []
  }

  if (!isRecord(manifest)) return []
  const hits: DependencyHit[] = []
  for (const field of NPM_DEPENDENCY_FIELDS) {
    const deps = manifest[field]
    if (!isRecord(deps)) continue
    const fieldAt = text.indexOf(`"${field}"`)
    for (const name of Object.keys(deps)) {
      const entry = NPM_FRAMEWORKS.match(name)
      if (!entry) continue
      hits.push({entry, name, line: keyLine(text, name, fieldAt)})
    }
  }

  return hits
}

function keyLine(text: string, key: string, from: number): number | undefined {
  const pattern = new RegExp(`"${escapeRegExp(key)}"\\s*:`, 'g')
  pattern.lastIndex = Math.max(0, from)
  const m = pattern.exec(text)
  return m ? lineAt(text, m.index) : undefined
}

/** PEP 508 requirement -> distribution name. */
function requirementName(spec: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec)
  return m ? m[1] : undefined
}

function requirementsDependencies(text: string): DependencyHit[] {
  const hits: DependencyHit[] = []
  const lines = text.split('\n')
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line === '' || line.startsWith('-')) continue
    const name = requirementName(line)
    if (!name) continue
    const entry = PYPI_FRAMEWORKS.match(normalisePypiName(name))
    if (entry) hits.push({entry, name, line: i + 1})
  }

  return hits
}

function pyprojectDependencies(text: string): DependencyHit[] {
  let doc: unknown
  try {
    doc = parseToml(text)
  } catch {
    return []
  }

  if (!isRecord(doc)) return []
  const specs: string[] = []
  const keys: string[] = []
  const project = doc.project
  if (isRecord(project)) {
    specs.push(...strings(project.dependencies))
    if (isRecord(project['optional-dependencies'])) {
      for (const list of Object.values(project['optional-dependencies'])) specs.push(...strings(list))
    }
  }

  // PEP 735 dependency groups: plain strings, or `{include-group = …}` tables that name no package.
  if (isRecord(doc['dependency-groups'])) {
    for (const list of Object.values(doc['dependency-groups'])) specs.push(...strings(list))
  }

  const poetry = isRecord(doc.tool) ? doc.tool.poetry : undefined
  if (isRecord(poetry)) {
    for (const table of [poetry.dependencies, poetry['dev-dependencies']]) if (isRecord(table)) keys.push(...Object.keys(table))
    if (isRecord(poetry.group)) {
      for (const group of Object.values(poetry.group)) {
        if (isRecord(group) && isRecord(group.dependencies)) keys.push(...Object.keys(group.dependencies))
      }
    }
  }

  const hits: DependencyHit[] = []
  for (const spec of specs) {
    const name = requirementName(spec)
    const entry = name ? PYPI_FRAMEWORKS.match(normalisePypiName(name)) : undefined
    if (!entry || !name) continue
    const at = text.indexOf(spec)
    hits.push({entry, name, line: at === -1 ? undefined : lineAt(text, at)})
  }

  for (const name of keys) {
    const entry = PYPI_FRAMEWORKS.match(normalisePypiName(name))
    if (!entry) continue
    const m = new RegExp(`^[ \\t]*["']?${escapeRegExp(name)}["']?[ \\t]*=`, 'm').exec(text)
    hits.push({entry, name, line: m ? lineAt(text, m.index) : undefined})
  }

  return hits
}

function goModDependencies(text: string): DependencyHit[] {
  const hits: DependencyHit[] = []
  let inRequire = false
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\/\/.*$/, '').trim()
    if (inRequire) {
      if (line.startsWith(')')) {
        inRequire = false
        continue
      }
    } else if (/^require\s*\($/.test(line)) {
      inRequire = true
      continue
    } else if (line.startsWith('require ')) {
      addGoModule(line.slice('require '.length).trim(), i + 1, hits)
      continue
    } else continue

    addGoModule(line, i + 1, hits)
  }

  return hits
}

function addGoModule(line: string, lineNo: number, hits: DependencyHit[]): void {
  const module = line.split(/\s+/, 1)[0]
  if (!module) return
  const entry = matchGoModule(module)
  if (entry) hits.push({entry, name: module, line: lineNo})
}

function pipfileDependencies(text: string): DependencyHit[] {
  const doc = tomlOf(text)
  if (!doc) return []
  const names = ['packages', 'dev-packages'].flatMap((table) => (isRecord(doc[table]) ? Object.keys(doc[table]) : []))
  return names.flatMap((name) => pypiHit(name, tomlKeyLine(text, name)))
}

/** `install_requires=[…]` and `extras_require` lists in setup.py: the quoted requirement strings. */
function setupPyDependencies(text: string): DependencyHit[] {
  const hits: DependencyHit[] = []
  for (const block of text.matchAll(/(?:install_requires|extras_require|tests_require)\s*=\s*[[{]([^\]}]*)[\]}]/g)) {
    for (const quoted of block[1].matchAll(/["']([A-Za-z0-9][A-Za-z0-9._-]*)[^"']*["']/g)) {
      hits.push(...pypiHit(quoted[1], lineAt(text, (block.index ?? 0) + block[0].indexOf(quoted[0]))))
    }
  }

  return hits
}

function pypiHit(name: string, line: number | undefined): DependencyHit[] {
  const entry = PYPI_FRAMEWORKS.match(normalisePypiName(name))
  return entry ? [{entry, name, line}] : []
}

function cargoTomlDependencies(text: string): DependencyHit[] {
  const doc = tomlOf(text)
  if (!doc) return []
  const tables: unknown[] = [doc.dependencies, doc['dev-dependencies'], doc['build-dependencies']]
  if (isRecord(doc.workspace)) tables.push(doc.workspace.dependencies)
  if (isRecord(doc.target)) for (const target of Object.values(doc.target)) if (isRecord(target)) tables.push(target.dependencies)
  const hits: DependencyHit[] = []
  for (const table of tables) {
    if (!isRecord(table)) continue
    for (const [key, spec] of Object.entries(table)) {
      // `alias = {package = "rmcp", …}` depends on rmcp under another name.
      const name = isRecord(spec) && typeof spec.package === 'string' ? spec.package : key
      const entry = CARGO_FRAMEWORKS.match(name)
      if (entry) hits.push({entry, name, line: tomlKeyLine(text, key)})
    }
  }

  return hits
}

/** `<groupId>g</groupId> <artifactId>a</artifactId>` pairs inside `<dependency>` elements. */
function pomDependencies(text: string): DependencyHit[] {
  const hits: DependencyHit[] = []
  for (const m of text.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const group = /<groupId>\s*([^<\s]+)\s*<\/groupId>/.exec(m[1])?.[1]
    const artifact = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(m[1])?.[1]
    if (!group || !artifact) continue
    const name = `${group}:${artifact}`
    const entry = MAVEN_FRAMEWORKS.match(name)
    if (entry) hits.push({entry, name, line: lineAt(text, (m.index ?? 0) + m[0].indexOf(artifact))})
  }

  return hits
}

/** `"group:artifact:version"` strings in Groovy or Kotlin build scripts. */
function gradleDependencies(text: string): DependencyHit[] {
  const hits: DependencyHit[] = []
  for (const m of text.matchAll(/["']([\w.-]+):([\w.-]+)(?::[^"'\s]*)?["']/g)) {
    const name = `${m[1]}:${m[2]}`
    const entry = MAVEN_FRAMEWORKS.match(name)
    if (entry) hits.push({entry, name, line: lineAt(text, m.index ?? 0)})
  }

  return hits
}

function csprojDependencies(text: string): DependencyHit[] {
  const hits: DependencyHit[] = []
  for (const m of text.matchAll(/<PackageReference\b[^>]*?\bInclude\s*=\s*"([^"]+)"/gi)) {
    const entry = NUGET_FRAMEWORKS.match(m[1].toLowerCase())
    if (entry) hits.push({entry, name: m[1], line: lineAt(text, m.index ?? 0)})
  }

  return hits
}

// ---------------------------------------------------------------------------------------------
// Lockfiles: every package they resolve, direct or not. A framework seen only here is transitive.

/** package-lock.json v2/v3 `packages["node_modules/…"]`, and v1's nested `dependencies`. */
function packageLockDependencies(text: string): DependencyHit[] {
  const names = new Set<string>()
  for (const m of text.matchAll(/"(?:[^"]*\/)?node_modules\/((?:@[^/"]+\/)?[^/"]+)"\s*:/g)) names.add(m[1])
  if (names.size === 0) {
    // v1 has no node_modules keys: its names are the keys of `dependencies` objects.
    const walk = (deps: unknown) => {
      if (!isRecord(deps)) return
      for (const [name, dep] of Object.entries(deps)) {
        names.add(name)
        if (isRecord(dep)) walk(dep.dependencies)
      }
    }

    try {
      const doc: unknown = JSON.parse(text)
      if (isRecord(doc)) walk(doc.dependencies)
    } catch {
      return []
    }
  }

  return lockHits(names, text, NPM_FRAMEWORKS.match.bind(NPM_FRAMEWORKS), (name) => `node_modules/${name}"`)
}

/** pnpm-lock.yaml `packages:` keys (`/name@1.0.0`, `'@scope/name@1.0.0'`) at two spaces in. */
function pnpmLockDependencies(text: string): DependencyHit[] {
  const names = new Set<string>()
  for (const m of text.matchAll(/^ {2}['"]?\/?((?:@[\w.-]+\/)?[\w.-]+)[@/]\d/gm)) names.add(m[1])
  return lockHits(names, text, NPM_FRAMEWORKS.match.bind(NPM_FRAMEWORKS), (name) => `${name}@`)
}

/** yarn.lock (classic and berry): entries start a line with `name@range`, maybe quoted. */
function yarnLockDependencies(text: string): DependencyHit[] {
  const names = new Set<string>()
  for (const m of text.matchAll(/^"?((?:@[\w.-]+\/)?[\w.-]+)@/gm)) names.add(m[1])
  return lockHits(names, text, NPM_FRAMEWORKS.match.bind(NPM_FRAMEWORKS), (name) => `${name}@`)
}

/** poetry.lock, uv.lock and Cargo.lock: `[[package]]` tables whose first key is `name`. */
function packageTableNames(text: string): Set<string> {
  const names = new Set<string>()
  for (const m of text.matchAll(/^\[\[package\]\]\r?\nname = "([^"]+)"/gm)) names.add(m[1])
  return names
}

function pythonLockDependencies(text: string): DependencyHit[] {
  return lockHits(packageTableNames(text), text, (name) => PYPI_FRAMEWORKS.match(normalisePypiName(name)), (name) => `name = "${name}"`)
}

function cargoLockDependencies(text: string): DependencyHit[] {
  return lockHits(packageTableNames(text), text, CARGO_FRAMEWORKS.match.bind(CARGO_FRAMEWORKS), (name) => `name = "${name}"`)
}

function goSumDependencies(text: string): DependencyHit[] {
  const names = new Set<string>()
  for (const m of text.matchAll(/^(\S+) v/gm)) names.add(m[1])
  return lockHits(names, text, matchGoModule, (name) => `${name} v`)
}

/** One hit per catalogue package a lockfile names, on the line where it first appears. */
function lockHits(
  names: Iterable<string>,
  text: string,
  match: (name: string) => FrameworkEntry | undefined,
  needle: (name: string) => string,
): DependencyHit[] {
  const hits: DependencyHit[] = []
  for (const name of names) {
    const entry = match(name)
    if (!entry) continue
    const at = text.indexOf(needle(name))
    hits.push({entry, name, line: at === -1 ? undefined : lineAt(text, at)})
  }

  return hits
}

// ---------------------------------------------------------------------------------------------
// The table of project files.

export type ProjectFileKind =
  | 'build.gradle'
  | 'Cargo.lock'
  | 'Cargo.toml'
  | 'csproj'
  | 'go.mod'
  | 'go.sum'
  | 'marker'
  | 'package-lock.json'
  | 'package.json'
  | 'Pipfile'
  | 'pnpm-lock.yaml'
  | 'poetry.lock'
  | 'pom.xml'
  | 'pyproject.toml'
  | 'requirements'
  | 'setup.py'
  | 'uv.lock'
  | 'yarn.lock'

export interface ProjectFileParser {
  language: EvidenceRecord['language']
  evidence: 'dependency' | 'lockfile'
  parse: (text: string) => DependencyHit[]
}

export const PROJECT_FILE_PARSERS: Readonly<Record<Exclude<ProjectFileKind, 'marker'>, ProjectFileParser>> = {
  'package.json': {language: 'javascript', evidence: 'dependency', parse: packageJsonDependencies},
  'pyproject.toml': {language: 'python', evidence: 'dependency', parse: pyprojectDependencies},
  requirements: {language: 'python', evidence: 'dependency', parse: requirementsDependencies},
  Pipfile: {language: 'python', evidence: 'dependency', parse: pipfileDependencies},
  'setup.py': {language: 'python', evidence: 'dependency', parse: setupPyDependencies},
  'go.mod': {language: 'go', evidence: 'dependency', parse: goModDependencies},
  'Cargo.toml': {language: 'rust', evidence: 'dependency', parse: cargoTomlDependencies},
  'pom.xml': {language: 'jvm', evidence: 'dependency', parse: pomDependencies},
  'build.gradle': {language: 'jvm', evidence: 'dependency', parse: gradleDependencies},
  csproj: {language: 'dotnet', evidence: 'dependency', parse: csprojDependencies},
  'package-lock.json': {language: 'javascript', evidence: 'lockfile', parse: packageLockDependencies},
  'pnpm-lock.yaml': {language: 'javascript', evidence: 'lockfile', parse: pnpmLockDependencies},
  'yarn.lock': {language: 'javascript', evidence: 'lockfile', parse: yarnLockDependencies},
  'poetry.lock': {language: 'python', evidence: 'lockfile', parse: pythonLockDependencies},
  'uv.lock': {language: 'python', evidence: 'lockfile', parse: pythonLockDependencies},
  'Cargo.lock': {language: 'rust', evidence: 'lockfile', parse: cargoLockDependencies},
  'go.sum': {language: 'go', evidence: 'lockfile', parse: goSumDependencies},
}

const BY_NAME: ReadonlyMap<string, ProjectFileKind> = new Map<string, ProjectFileKind>([
  ...(Object.keys(PROJECT_FILE_PARSERS) as ProjectFileKind[]).filter((k) => k !== 'requirements' && k !== 'csproj' && k !== 'build.gradle').map((k): [string, ProjectFileKind] => [k, k]),
  ['build.gradle', 'build.gradle'],
  ['build.gradle.kts', 'build.gradle'],
  ['Gemfile', 'marker'],
  ['composer.json', 'marker'],
])

/** What a file is to the scanner, by its name (and, for requirements/*.txt, its directory's name). */
export function projectFileKind(name: string, dirName: string): ProjectFileKind | undefined {
  const known = BY_NAME.get(name)
  if (known) return known
  if (name.endsWith('.txt') && (name.startsWith('requirements') || dirName === 'requirements')) return 'requirements'
  if (name.endsWith('.csproj')) return 'csproj'
  if (name.endsWith('.sln')) return 'marker'
  return undefined
}

/** Does this file make its directory a project root? Lockfiles and requirements/*.txt do not. */
export function marksProject(kind: ProjectFileKind, name: string): boolean {
  if (kind === 'requirements') return name.startsWith('requirements')
  return kind === 'marker' || PROJECT_FILE_PARSERS[kind].evidence === 'dependency'
}

function tomlOf(text: string): Record<string, unknown> | undefined {
  try {
    const doc: unknown = parseToml(text)
    return isRecord(doc) ? doc : undefined
  } catch {
    return undefined
  }
}

function tomlKeyLine(text: string, key: string): number | undefined {
  const m = new RegExp(`^[ \\t]*["']?${escapeRegExp(key)}["']?[ \\t]*=`, 'm').exec(text)
  return m ? lineAt(text, m.index) : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
}

/** The name a package manifest declares for itself (package.json, pyproject.toml, Cargo.toml). */
export function manifestName(kind: ProjectFileKind, text: string): string | undefined {
  try {
    if (kind === 'package.json') {
      const doc: unknown = JSON.parse(text)
      return isRecord(doc) && typeof doc.name === 'string' ? doc.name : undefined
    }
  } catch {
    return undefined
  }

  if (kind !== 'pyproject.toml' && kind !== 'Cargo.toml') return undefined
  const doc = tomlOf(text)
  const table = kind === 'Cargo.toml' ? doc?.package : (doc?.project ?? (isRecord(doc?.tool) ? doc.tool.poetry : undefined))
  return isRecord(table) && typeof table.name === 'string' ? table.name : undefined
}
