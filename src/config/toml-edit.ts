import {parse as parseToml} from 'smol-toml'

import type {DocPath} from './document.js'
import {type FormatEditor, layoutOf, lineEnd, lineStart, UnsupportedEditError} from './text.js'

/**
 * TOML edited in place. smol-toml only parses, so this file has a small lexer that knows where each
 * table header and each `key = value` statement starts and ends; an edit replaces one value's text,
 * inserts one line, or removes one statement (or one sub-table), and nothing else is re-written.
 */
export const editToml: FormatEditor = {
  set(text, path, value, after) {
    const statements = lex(text)
    const target = findPair(statements, path)
    if (target) return splice(text, target.valueStart, target.valueEnd, tomlValue(value))
    const inline = inlineOwner(statements, path)
    if (inline) return rewriteInline(text, inline, path, (holder, key) => (holder[key] = value))
    const table = tableBody(statements, path.slice(0, -1))
    if (!table) throw new UnsupportedEditError(`no [${path.slice(0, -1).join('.')}] table to add ${String(path.at(-1))} to`)
    const anchor = (after && table.pairs.find((p) => p.keys.length === 1 && p.keys[0] === after)) || table.pairs.at(-1) || table.header
    const at = anchor.end
    const {eol} = layoutOf(text)
    const indent = anchor.kind === 'pair' ? text.slice(lineStart(text, anchor.start), anchor.start) : ''
    const prefix = at === text.length && !/\n$/.test(text) ? eol : ''
    return splice(text, at, at, `${prefix}${indent}${tomlKey(String(path.at(-1)))} = ${tomlValue(value)}${eol}`)
  },
  delete(text, path) {
    const statements = lex(text)
    const target = findPair(statements, path)
    if (target) return splice(text, lineStart(text, target.start), target.end, '')
    const sub = tableBody(statements, path)
    if (sub) {
      const last = sub.pairs.at(-1) ?? sub.header
      return splice(text, lineStart(text, sub.header.start), last.end, '')
    }

    const inline = inlineOwner(statements, path)
    if (inline) return rewriteInline(text, inline, path, (holder, key) => delete holder[key])
    return text
  },
  span(text, path) {
    const statements = lex(text)
    const pair = findPair(statements, path)
    if (pair) return [pair.valueStart, pair.valueEnd]
    const table = tableBody(statements, path)
    if (!table) return undefined
    // A table entry is its header, its keys and every sub-table under it.
    let end = (table.pairs.at(-1) ?? table.header).end
    const index = statements.indexOf(table.header)
    for (const statement of statements.slice(index + 1)) {
      if (statement.kind === 'header' && !startsWith(statement.keys, path)) break
      end = statement.end
    }

    return [table.header.start, end]
  },
}

interface Header {
  kind: 'header'
  keys: string[]
  start: number
  /** Past the end of the header's line. */
  end: number
}

interface KeyValue {
  kind: 'pair'
  /** The table the pair sits in (its header's keys) followed by the pair's own dotted keys. */
  table: string[]
  keys: string[]
  start: number
  valueStart: number
  valueEnd: number
  end: number
}

type Statement = Header | KeyValue

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end)
}

function startsWith(keys: readonly string[], prefix: DocPath): boolean {
  return prefix.every((key, i) => keys[i] === String(key))
}

function same(keys: readonly string[], path: DocPath): boolean {
  return keys.length === path.length && startsWith(keys, path)
}

function findPair(statements: Statement[], path: DocPath): KeyValue | undefined {
  return statements.find((s): s is KeyValue => s.kind === 'pair' && same([...s.table, ...s.keys], path))
}

/** The pair whose inline-table value holds `path`, e.g. `fs = {command = "x"}` for fs.command. */
function inlineOwner(statements: Statement[], path: DocPath): KeyValue | undefined {
  return statements.find(
    (s): s is KeyValue => s.kind === 'pair' && [...s.table, ...s.keys].length < path.length && startsWith(path.map(String), [...s.table, ...s.keys]),
  )
}

/**
 * An inline table is one line by definition, so the pair that holds it is written again whole, its
 * keys in their order. Only that value's text changes.
 */
function rewriteInline(text: string, owner: KeyValue, path: DocPath, change: (holder: Record<string, unknown>, key: string) => void): string {
  const value = parseToml(`v = ${text.slice(owner.valueStart, owner.valueEnd)}`).v as Record<string, unknown>
  let holder = value
  for (const key of path.slice(owner.table.length + owner.keys.length, -1)) {
    const next = holder[String(key)]
    if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new UnsupportedEditError('no inline TOML table at that key')
    holder = next as Record<string, unknown>
  }

  change(holder, String(path.at(-1)))
  return splice(text, owner.valueStart, owner.valueEnd, tomlValue(value))
}

function tableBody(statements: Statement[], path: DocPath): {header: Header; pairs: KeyValue[]} | undefined {
  const index = statements.findIndex((s) => s.kind === 'header' && same(s.keys, path))
  if (index === -1) return undefined
  const pairs: KeyValue[] = []
  for (const statement of statements.slice(index + 1)) {
    if (statement.kind === 'header') break
    pairs.push(statement)
  }

  return {header: statements[index] as Header, pairs}
}

// ---------------------------------------------------------------------------------------------
// Lexer: statement boundaries only. Values are skipped by their syntax, not interpreted.

function lex(text: string): Statement[] {
  const statements: Statement[] = []
  let table: string[] = []
  let i = 0
  const fail = (what: string): never => {
    throw new UnsupportedEditError(`TOML the in-place editor cannot follow (${what} at offset ${i})`)
  }

  while (i < text.length) {
    i = skipTrivia(text, i, true)
    if (i >= text.length) break
    const start = i
    if (text[i] === '[') {
      const array = text[i + 1] === '['
      const read = readKeys(text, i + (array ? 2 : 1))
      i = skipSpaces(text, read.end)
      if (text[i] !== ']' || (array && text[i + 1] !== ']')) fail('a table header')
      i += array ? 2 : 1
      table = read.keys
      const end = lineEnd(text, i)
      statements.push({kind: 'header', keys: read.keys, start, end})
      i = end
      continue
    }

    const read = readKeys(text, i)
    i = skipSpaces(text, read.end)
    if (text[i] !== '=') fail('a key without "="')
    const valueStart = skipSpaces(text, i + 1)
    const valueEnd = skipValue(text, valueStart)
    const end = lineEnd(text, valueEnd)
    statements.push({kind: 'pair', table, keys: read.keys, start, valueStart, valueEnd, end})
    i = end
  }

  return statements
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t') i++
  return i
}

function skipTrivia(text: string, i: number, newlines: boolean): number {
  for (;;) {
    i = skipSpaces(text, i)
    if (text[i] === '#') i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i)
    else if (newlines && (text[i] === '\n' || text[i] === '\r')) i++
    else return i
  }
}

function readKeys(text: string, i: number): {keys: string[]; end: number} {
  const keys: string[] = []
  for (;;) {
    i = skipSpaces(text, i)
    const quote = text[i]
    if (quote === '"' || quote === "'") {
      const end = skipString(text, i)
      const raw = text.slice(i, end)
      keys.push(quote === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1))
      i = end
    } else {
      const match = /^[\w-]+/.exec(text.slice(i, i + 256))
      if (!match) throw new UnsupportedEditError(`TOML key expected at offset ${i}`)
      keys.push(match[0])
      i += match[0].length
    }

    const next = skipSpaces(text, i)
    if (text[next] !== '.') return {keys, end: i}
    i = next + 1
  }
}

function skipString(text: string, i: number): number {
  const quote = text[i]
  const triple = text.startsWith(quote.repeat(3), i)
  if (triple) {
    let end = text.indexOf(quote.repeat(3), i + 3)
    while (end !== -1 && quote === '"' && escaped(text, end)) end = text.indexOf('"""', end + 1)
    if (end === -1) throw new UnsupportedEditError('unterminated TOML string')
    // Up to two quotes may close the content right before the delimiter.
    while (text[end + 3] === quote) end++
    return end + 3
  }

  let j = i + 1
  while (j < text.length && text[j] !== quote && text[j] !== '\n') j += quote === '"' && text[j] === '\\' ? 2 : 1
  if (text[j] !== quote) throw new UnsupportedEditError('unterminated TOML string')
  return j + 1
}

function escaped(text: string, at: number): boolean {
  let backslashes = 0
  while (text[at - 1 - backslashes] === '\\') backslashes++
  return backslashes % 2 === 1
}

function skipValue(text: string, i: number): number {
  const c = text[i]
  if (c === '"' || c === "'") return skipString(text, i)
  if (c === '[' || c === '{') {
    const close = c === '[' ? ']' : '}'
    let j = i + 1
    for (;;) {
      // Arrays may span lines and hold comments; inline tables may not, but skipping is the same.
      j = skipTrivia(text, j, true)
      if (j >= text.length) throw new UnsupportedEditError('unterminated TOML array or table')
      if (text[j] === close) return j + 1
      if (text[j] === ',') {
        j++
        continue
      }

      if (c === '{') {
        j = skipSpaces(text, readKeys(text, j).end)
        if (text[j] !== '=') throw new UnsupportedEditError('inline TOML table without "="')
        j = skipSpaces(text, j + 1)
      }

      j = skipValue(text, j)
    }
  }

  const match = /^[^\s,\]}#]+(?:[ T][0-9:.+\-Z]+)?/.exec(text.slice(i, i + 256))
  if (!match) throw new UnsupportedEditError(`TOML value expected at offset ${i}`)
  return i + match[0].length
}

// ---------------------------------------------------------------------------------------------
// Writing values: strings as basic strings (JSON's escapes are TOML's), arrays and inline tables on one line.

export function tomlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => tomlValue(item)).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    const pairs = Object.entries(value).map(([key, item]) => `${tomlKey(key)} = ${tomlValue(item)}`)
    return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`
  }

  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value)
  throw new UnsupportedEditError(`cannot write ${typeof value} as TOML`)
}

function tomlKey(key: string): string {
  return /^[\w-]+$/.test(key) ? key : JSON.stringify(key)
}
