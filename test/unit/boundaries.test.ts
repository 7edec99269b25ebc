import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import ts from 'typescript'
import {describe, expect, it} from 'vitest'

import {cycles, type Import, importsOf, ROOT, sourceFiles} from '../helpers/imports.js'

/**
 * The project's boundaries, checked on the import graph that the TypeScript parser reads from the
 * sources (type-only and dynamic imports included): no folder depends on a folder that depends
 * back on it, no file cycle, and the proxy's start path loads no UI, report or discovery code.
 */
const FILES = sourceFiles(['src', 'commands', 'reports'])
const IMPORTS = new Map<string, Import[]>(FILES.map((file) => [file, importsOf(file)]))

/** A folder under src/ (a file directly in src/ is a unit of its own), or top-level commands/ or reports/. */
function unitOf(file: string): string {
  const parts = file.split('/')
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : file
  return parts[0]
}

const isSource = (module: string) => /\.tsx?$/.test(module)

function graph(edge: (i: Import) => [string, string] | undefined): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>()
  for (const list of IMPORTS.values()) {
    for (const i of list) {
      const pair = edge(i)
      if (!pair || pair[0] === pair[1]) continue
      if (!edges.has(pair[0])) edges.set(pair[0], new Set())
      edges.get(pair[0])!.add(pair[1])
    }
  }

  return edges
}


/** What the proxy's start path must never load (design.md: "its start path loads no UI, report or discovery code"). */
function forbiddenOnProxyPath(module: string): boolean {
  return /^(ink|react)(\/|$)/.test(module) || /^(src\/(ui|report|discovery)|reports)\//.test(module)
}

/** Every module loaded from `entry`: static value imports, and dynamic ones when `dynamic`. */
function reachable(entry: string, dynamic: boolean): Map<string, string[]> {
  const via = new Map<string, string[]>([[entry, [entry]]])
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.shift()!
    for (const i of IMPORTS.get(file) ?? []) {
      if (i.typeOnly || (i.dynamic && !dynamic) || via.has(i.to)) continue
      via.set(i.to, [...via.get(file)!, i.to])
      if (isSource(i.to)) queue.push(i.to)
    }
  }

  return via
}

describe('module boundaries', () => {
  it('reads the graph: type-only, dynamic and JSX imports are all seen', () => {
    const base = IMPORTS.get('src/base-command.ts')!
    expect(base).toContainEqual({from: 'src/base-command.ts', to: 'src/ui/views.ts', typeOnly: true, dynamic: false})
    expect(base).toContainEqual({from: 'src/base-command.ts', to: 'src/ui/render.ts', typeOnly: false, dynamic: true})
    expect(IMPORTS.get('src/ui/message-view.tsx')!.map((i) => i.to)).toContain('react/jsx-runtime')
  })

  it('finds a cycle when there is one', () => {
    const edges = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]])
    expect(cycles(edges)).toEqual([['a', 'b', 'c']])
    expect(cycles(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toEqual([])
  })

  it('no folder cycle (folders of src/, commands/, reports/; type-only imports count)', () => {
    const folders = graph((i) => (isSource(i.to) ? [unitOf(i.from), unitOf(i.to)] : undefined))
    expect(cycles(folders)).toEqual([])
  })

  it('no file cycle', () => {
    expect(cycles(graph((i) => (isSource(i.to) ? [i.from, i.to] : undefined)))).toEqual([])
  })

  it('`bin/run.js proxy` reaches no ink, React, UI, report or discovery module', () => {
    // The proxy branch of bin/run.js imports the compiled fast start: walk its source.
    const bin = readFileSync(join(ROOT, 'bin', 'run.js'), 'utf8')
    const match = /if \(process\.argv\[2\] === 'proxy'\) \{[\s\S]*?import\('\.\.\/dist\/(src\/[^']+)\.js'\)/.exec(bin)
    expect(match, 'bin/run.js no longer has the proxy fast path this test walks from').not.toBeNull()
    const entry = `${match![1]}.ts`
    expect(IMPORTS.has(entry)).toBe(true)
    // Dynamic imports count: the proxy runs them (transports, telemetry) as it starts.
    const loaded = reachable(entry, true)
    expect(loaded.has('src/proxy/run.ts')).toBe(true)
    expect([...loaded.keys()].filter(forbiddenOnProxyPath).map((m) => loaded.get(m)!.join(' -> '))).toEqual([])
  })

  it('the full CLI\'s proxy command (help, unusual flags) loads no UI before it runs', () => {
    // Static imports only: the base command's render helper imports the UI when a view is shown.
    const loaded = reachable('commands/proxy.ts', false)
    expect(loaded.has('src/base-command.ts')).toBe(true)
    expect([...loaded.keys()].filter(forbiddenOnProxyPath).map((m) => loaded.get(m)!.join(' -> '))).toEqual([])
  })
})

describe('the state directory layout', () => {
  /** The names inside the state directory, as src/state-layout.ts spells them. */
  const NAMES = (() => {
    const source = ts.createSourceFile('layout', readFileSync(join(ROOT, 'src', 'state-layout.ts'), 'utf8'), ts.ScriptTarget.ES2022, true)
    return new Set(literalsInJoins(source).map((l) => l.text))
  })()

  it('spells every path inside the state directory in src/state-layout.ts only', () => {
    expect([...NAMES]).toEqual(expect.arrayContaining(['policy.yaml', 'tokens.json', 'pins', 'killswitch.json', 'grants.json', 'approvals', 'traces', 'wraps']))
    const elsewhere: string[] = []
    for (const file of FILES.filter((f) => f !== 'src/state-layout.ts')) {
      const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
      for (const literal of literalsInJoins(source)) {
        if (NAMES.has(literal.text)) elsewhere.push(`${file}:${source.getLineAndCharacterOfPosition(literal.getStart()).line + 1} '${literal.text}'`)
      }
    }

    expect(elsewhere).toEqual([])
  })
})

/** String literals passed to a `join(…)` call: how a path inside a directory is spelled. */
function literalsInJoins(source: ts.SourceFile): ts.StringLiteralLike[] {
  const found: ts.StringLiteralLike[] = []
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'join') {
      for (const argument of node.arguments) if (ts.isStringLiteralLike(argument)) found.push(argument)
    }

    ts.forEachChild(node, visit)
  }

  visit(source)
  return found
}
