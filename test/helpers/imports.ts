import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

import ts from 'typescript'

export const ROOT = resolve(import.meta.dirname, '..', '..')

export interface Import {
  /** The file that imports, relative to the repository root. */
  from: string
  /** The module: a repository file (relative to the root) or a package name. */
  to: string
  /** `import type`, `export type`, or every name marked `type`: erased, never loaded. */
  typeOnly: boolean
  /** `import('…')`: loaded only when that line runs. */
  dynamic: boolean
}

/** Every .ts/.tsx file under the given folders of the repository (relative paths). */
export function sourceFiles(folders: readonly string[]): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(path)
    }
  }

  for (const folder of folders) walk(folder)
  return found.sort()
}

/**
 * The imports of one file, read with the TypeScript parser: static and dynamic imports,
 * re-exports, `import type` and inline `type` names. A .tsx file also imports react/jsx-runtime,
 * which the compiler adds for its JSX.
 */
export function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const found: Import[] = []
  const add = (specifier: string, typeOnly: boolean, dynamic: boolean) => found.push({from: file, to: resolveSpecifier(file, specifier), typeOnly, dynamic})
  if (file.endsWith('.tsx')) add('react/jsx-runtime', false, false)
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined
      const allNamesTyped = Boolean(clause && !clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly))
      add(node.moduleSpecifier.text, Boolean(clause?.isTypeOnly) || allNamesTyped, false)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined
      add(node.moduleSpecifier.text, node.isTypeOnly || Boolean(named && named.length > 0 && named.every((e) => e.isTypeOnly)), false)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false, true)
      else throw new Error(`${file}: an import() of a computed name cannot be checked; import a literal path.`)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true, false)
    }

    ts.forEachChild(node, visit)
  }

  visit(source)
  return found
}

/** `./x.js` written in a .ts file means ./x.ts (or .tsx); a bare name is a package, kept as it is. */
function resolveSpecifier(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier
  const absolute = resolve(ROOT, dirname(file), specifier)
  const stem = absolute.replace(/\.js$/, '')
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, absolute, join(absolute, 'index.ts')]) {
    if (existsSync(candidate)) return relative(ROOT, candidate)
  }

  throw new Error(`${file}: cannot resolve ${specifier}`)
}

/** Strongly connected groups of more than one node (each a cycle), by Tarjan's algorithm. */
export function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const groups: string[][] = []
  const connect = (node: string) => {
    index.set(node, counter)
    low.set(node, counter)
    counter++
    stack.push(node)
    onStack.add(node)
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!))
      }
    }

    if (low.get(node) === index.get(node)) {
      const group: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        group.push(member)
      } while (member !== node)
      if (group.length > 1) groups.push(group.sort())
    }
  }

  for (const node of [...edges.keys()].sort()) if (!index.has(node)) connect(node)
  return groups.sort((a, b) => a[0].localeCompare(b[0]))
}
