/*
 * Framework imports in source files: one precompiled regex per language, run over the head of the
 * file only. Statements must start a line (after indentation), so commented-out imports do not count.
 */

import {
  type FrameworkEntry,
  JS_IMPORT_FRAMEWORKS,
  matchDotnetImport,
  matchGoModule,
  matchJvmImport,
  matchPythonModule,
  NPM_FRAMEWORKS,
  RUST_IMPORT_FRAMEWORKS,
} from './frameworks.js'

export type Language = 'dotnet' | 'go' | 'javascript' | 'jvm' | 'python' | 'rust'

const PY_IMPORT =
  /^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n#;]*)|import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*))/gm
const JS_IMPORT =
  /^[ \t]*(?:import|export)(?:[ \t]+type)?[ \t]*(?:[\w*{}\s,$]+?from[ \t]*)?["']([^"'\n]+)["']|\b(?:require|import)[ \t]*\([ \t]*["']([^"'\n]+)["'][ \t]*\)/gm
const GO_IMPORT = /^import[ \t]*(?:\(([^)]*)\)|(?:[\w.]+[ \t]+)?"([^"\n]+)")/gm
const GO_BLOCK_PATH = /^[ \t]*(?:[\w.]+[ \t]+)?"([^"\n]+)"/gm
const RUST_USE = /^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?(?:use[ \t]+(?:::)?|extern[ \t]+crate[ \t]+)([A-Za-z_]\w*)/gm
const JVM_IMPORT = /^[ \t]*import[ \t]+(?:static[ \t]+)?([A-Za-z_][\w.]*)/gm
const DOTNET_USING = /^[ \t]*(?:global[ \t]+)?using[ \t]+(?:static[ \t]+)?(?:\w+[ \t]*=[ \t]*)?([A-Z_a-z][\w.]*)[ \t]*;/gm

/**
 * Python's OpenAI Agents SDK is imported as `agents`, a name many projects give their own package.
 * Only names the SDK alone exports count; `Agent` by itself does not.
 */
const PY_AGENTS_NAMES = new Set([
  'Runner',
  'function_tool',
  'handoff',
  'RunContextWrapper',
  'ModelSettings',
  'AgentOutputSchema',
  'GuardrailFunctionOutput',
  'input_guardrail',
  'output_guardrail',
  'InputGuardrail',
  'OutputGuardrail',
  'RunConfig',
  'WebSearchTool',
  'FileSearchTool',
  'ComputerTool',
  'SQLiteSession',
  'set_default_openai_key',
  'set_default_openai_client',
  'set_default_openai_api',
  'set_tracing_disabled',
  'OpenAIChatCompletionsModel',
  'OpenAIResponsesModel',
  'MCPServerStdio',
  'MCPServerSse',
  'MCPServerStreamableHttp',
])
/** From a submodule (`agents.mcp`, `agents.extensions.models…`) only names no local package would have. */
const PY_AGENTS_SUBMODULE_NAMES = new Set([
  'MCPServerStdio',
  'MCPServerSse',
  'MCPServerStreamableHttp',
  'MCPServerStdioParams',
  'LitellmModel',
  'OpenAIChatCompletionsModel',
  'OpenAIResponsesModel',
])
const OPENAI_AGENTS = NPM_FRAMEWORKS.match('@openai/agents')

export interface ImportHit {
  entry: FrameworkEntry
  module: string
  index: number
}

function pythonImports(text: string, hits: ImportHit[]): void {
  PY_IMPORT.lastIndex = 0
  for (let m = PY_IMPORT.exec(text); m !== null; m = PY_IMPORT.exec(text)) {
    if (m[1] !== undefined) {
      const module = m[1]
      if (module === 'agents' || module.startsWith('agents.')) {
        const distinctive = module === 'agents' ? PY_AGENTS_NAMES : PY_AGENTS_SUBMODULE_NAMES
        if (OPENAI_AGENTS && importedNames(m[2]).some((name) => distinctive.has(name))) {
          hits.push({entry: OPENAI_AGENTS, module, index: m.index})
        }

        continue
      }

      const entry = matchPythonModule(module)
      if (entry) hits.push({entry, module, index: m.index})
    } else if (m[3] !== undefined) {
      for (const part of m[3].split(',')) {
        const module = part.trim().split(/[ \t]/, 1)[0]
        const entry = matchPythonModule(module)
        if (entry) hits.push({entry, module, index: m.index})
      }
    }
  }
}

function importedNames(list: string | undefined): string[] {
  if (!list) return []
  return list
    .replaceAll(/[()]/g, ' ')
    .split(',')
    .map((part) => part.trim().split(/\s+/, 1)[0])
    .filter(Boolean)
}

function jsImports(text: string, hits: ImportHit[]): void {
  JS_IMPORT.lastIndex = 0
  for (let m = JS_IMPORT.exec(text); m !== null; m = JS_IMPORT.exec(text)) {
    const specifier = m[1] ?? m[2]
    if (m[2] !== undefined && inLineComment(text, m.index)) continue
    const name = packageOfSpecifier(specifier)
    if (!name) continue
    const entry = JS_IMPORT_FRAMEWORKS.match(name)
    if (entry) hits.push({entry, module: name, index: m.index})
  }
}

function inLineComment(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1
  const before = text.slice(lineStart, index)
  return before.includes('//') || /^\s*(\*|\/\*)/.test(before)
}

/** `@scope/pkg/sub` -> `@scope/pkg`, `pkg/sub` -> `pkg`; relative, absolute and builtin specifiers -> undefined. */
function packageOfSpecifier(specifier: string): string | undefined {
  const first = specifier.charCodeAt(0)
  // '.', '/', '#' (subpath imports), and protocol-like specifiers never name a registry package.
  if (first === 46 || first === 47 || first === 35 || specifier.includes(':')) return undefined
  const slash = specifier.indexOf('/')
  if (first === 64) {
    if (slash === -1) return undefined
    const second = specifier.indexOf('/', slash + 1)
    return second === -1 ? specifier : specifier.slice(0, second)
  }

  return slash === -1 ? specifier : specifier.slice(0, slash)
}

function goImports(text: string, hits: ImportHit[]): void {
  GO_IMPORT.lastIndex = 0
  for (let m = GO_IMPORT.exec(text); m !== null; m = GO_IMPORT.exec(text)) {
    if (m[2] !== undefined) {
      const entry = matchGoModule(m[2])
      if (entry) hits.push({entry, module: m[2], index: m.index})
      continue
    }

    const block = m[1]
    const offset = m.index + m[0].indexOf('(') + 1
    GO_BLOCK_PATH.lastIndex = 0
    for (let p = GO_BLOCK_PATH.exec(block); p !== null; p = GO_BLOCK_PATH.exec(block)) {
      const entry = matchGoModule(p[1])
      if (entry) hits.push({entry, module: p[1], index: offset + p.index})
    }
  }
}

/** One regex whose first group is the imported name, looked up by `match`. */
function namedImports(pattern: RegExp, match: (name: string) => FrameworkEntry | undefined) {
  return (text: string, hits: ImportHit[]): void => {
    pattern.lastIndex = 0
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const entry = match(m[1])
      if (entry) hits.push({entry, module: m[1], index: m.index})
    }
  }
}

const IMPORT_SCANNERS: Readonly<Record<Language, (text: string, hits: ImportHit[]) => void>> = {
  python: pythonImports,
  javascript: jsImports,
  go: goImports,
  rust: namedImports(RUST_USE, (name) => RUST_IMPORT_FRAMEWORKS.match(name)),
  jvm: namedImports(JVM_IMPORT, matchJvmImport),
  dotnet: namedImports(DOTNET_USING, matchDotnetImport),
}

/** 1-based line of a character offset. */
export function lineAt(text: string, index: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++
  return line
}


/** Framework imports in the head of one source file, in file order. */
export function scanImports(language: Language, text: string): ImportHit[] {
  const hits: ImportHit[] = []
  IMPORT_SCANNERS[language](text, hits)
  return hits
}
