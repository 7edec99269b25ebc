/*
 * Dependency manifests: package.json (every dependency field), requirements*.txt, pyproject.toml
 * (PEP 621, PEP 735 groups, Poetry) and go.mod. Each parser returns the catalogue's frameworks with
 * the line that names them; a file that does not parse yields nothing, never an error.
 */

import {parse as parseToml} from 'smol-toml'

import {type FrameworkEntry, matchGoModule, normalisePypiName, NPM_FRAMEWORKS, PYPI_FRAMEWORKS} from './frameworks.js'
import {lineAt} from './imports.js'
import type {FrameworkRecord} from './types.js'

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

export type Manifest = 'go.mod' | 'package.json' | 'pyproject.toml' | 'requirements'
export const MANIFEST_PARSERS: Readonly<Record<Manifest, {language: FrameworkRecord['language']; parse: (text: string) => DependencyHit[]}>> = {
  'package.json': {language: 'javascript', parse: packageJsonDependencies},
  'pyproject.toml': {language: 'python', parse: pyprojectDependencies},
  requirements: {language: 'python', parse: requirementsDependencies},
  'go.mod': {language: 'go', parse: goModDependencies},
}

export function manifestKind(name: string, dirName: string): Manifest | undefined {
  if (name === 'package.json' || name === 'pyproject.toml' || name === 'go.mod') return name
  if (name.endsWith('.txt') && (name.startsWith('requirements') || dirName === 'requirements')) return 'requirements'
  return undefined
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
