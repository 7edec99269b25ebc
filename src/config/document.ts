import {findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode} from 'jsonc-parser'
import {parse as parseToml, TomlError} from 'smol-toml'
import {isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument} from 'yaml'

export type ConfigFormat = 'json' | 'jsonc' | 'toml' | 'yaml'
export type DocPath = ReadonlyArray<number | string>

/** A parsed config file: its plain value plus a way back to the line an entry was written on. */
export interface ConfigDocument {
  format: ConfigFormat
  value: unknown
  /** 1-based line of the value at `path`, when the format can tell. */
  lineOf(path: DocPath): number | undefined
  /**
   * Where the first scalar under `path` (in document order, keys excluded) whose text is `value` is
   * written: what a finding about one value (a secret, a URL, an argument) points at.
   */
  findValue(path: DocPath, value: string): Position | undefined
}

/** 1-based, columns in UTF-16 code units (SARIF's default column kind). */
export interface Position {
  line: number
  column: number
}

/** A config file that is not valid in its format; `line` and `column` are 1-based. */
export class ConfigSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message)
    this.name = 'ConfigSyntaxError'
  }
}

export function parseConfig(text: string, format: ConfigFormat): ConfigDocument {
  const source = text.replace(/^\uFEFF/, '')
  switch (format) {
    case 'toml': {
      return parseTomlDocument(source)
    }

    case 'yaml': {
      return parseYamlDocument(source)
    }

    default: {
      return parseJsonDocument(source, format)
    }
  }
}

/** Byte offset to 1-based line and column. */
export function positionOf(text: string, offset: number): Position {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }

  return {line, column: offset - lineStart + 1}
}

function parseJsonDocument(text: string, format: ConfigFormat): ConfigDocument {
  const errors: ParseError[] = []
  // Clients read these files leniently (VS Code, Zed, Gemini, OpenCode accept comments and trailing
  // commas), so discovery does too; strict JSON files are only flagged when truly unparseable.
  const tree = parseTree(text, errors, {allowTrailingComma: true, disallowComments: false, allowEmptyContent: true})
  if (errors.length > 0) {
    const first = errors[0]
    const {line, column} = positionOf(text, first.offset)
    throw new ConfigSyntaxError(`invalid JSON (${describeJsonError(printParseErrorCode(first.error))})`, line, column)
  }

  const value = tree ? nodeValue(tree) : undefined
  return {
    format,
    value,
    lineOf(path) {
      if (!tree) return undefined
      const node = findNodeAtLocation(tree, [...path])
      if (!node) return undefined
      // Point at the key of a property, where a person reading the file would look.
      const anchor = node.parent?.type === 'property' ? node.parent : node
      return positionOf(text, anchor.offset).line
    },
    findValue(path, value) {
      const node = tree && findNodeAtLocation(tree, [...path])
      const found = node && findJsonScalar(node, value)
      return found ? positionOf(text, found.offset) : undefined
    },
  }
}

function findJsonScalar(node: Node, value: string): Node | undefined {
  if (node.type === 'property') return node.children?.[1] && findJsonScalar(node.children[1], value)
  if (node.type === 'object' || node.type === 'array') {
    for (const child of node.children ?? []) {
      const found = findJsonScalar(child, value)
      if (found) return found
    }

    return undefined
  }

  return node.type !== 'null' && String(node.value) === value ? node : undefined
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? []
        // Duplicate keys: the last one wins, as in JSON.parse and in the clients that read these files.
        if (key && value) out[String(key.value)] = nodeValue(value)
      }

      return out
    }

    case 'array': {
      return (node.children ?? []).map((child) => nodeValue(child))
    }

    default: {
      return node.value
    }
  }
}

function describeJsonError(code: string): string {
  return code.replaceAll(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

function parseYamlDocument(text: string): ConfigDocument {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: false})
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    const {line, col} = lineCounter.linePos(first.pos[0])
    throw new ConfigSyntaxError(`invalid YAML (${first.message.split('\n')[0]})`, line, col)
  }

  return {
    format: 'yaml',
    value: doc.toJS({maxAliasCount: 100}),
    lineOf(path) {
      // Point at the key of a mapping entry (as for JSON), not at the first line of its value.
      const parent = path.length > 0 ? doc.getIn(path.slice(0, -1), true) : undefined
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(path.at(-1)))
        const keyRange = isNode(pair?.key) ? pair.key.range : undefined
        if (keyRange) return lineCounter.linePos(keyRange[0]).line
      }

      const node = doc.getIn([...path], true)
      if (!isNode(node) || !node.range) return undefined
      return lineCounter.linePos(node.range[0]).line
    },
    findValue(path, value) {
      const found = findYamlScalar(path.length > 0 ? doc.getIn([...path], true) : doc.contents, value)
      if (!found) return undefined
      const {line, col} = lineCounter.linePos(found)
      return {line, column: col}
    },
  }
}

/** The offset of the first scalar under `node` whose text is `value`. */
function findYamlScalar(node: unknown, value: string): number | undefined {
  if (isScalar(node)) return node.value !== null && String(node.value) === value ? node.range?.[0] : undefined
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = findYamlScalar(isPair(item) ? item.value : item, value)
      if (found !== undefined) return found
    }
  }

  return undefined
}

function parseTomlDocument(text: string): ConfigDocument {
  let value: unknown
  try {
    value = parseToml(text)
  } catch (error) {
    if (error instanceof TomlError) {
      throw new ConfigSyntaxError(`invalid TOML (${error.message.split('\n')[0]})`, error.line, error.column)
    }

    throw error
  }

  const lines = text.split(/\r?\n/)
  return {
    format: 'toml',
    value,
    lineOf(path) {
      return tomlLineOf(lines, path)
    },
    findValue(path, value) {
      return tomlFindValue(lines, path, value)
    },
  }
}

/**
 * smol-toml keeps no positions: look for the value written as a TOML string (basic or literal)
 * from the line that defines `path` on, up to the next table header outside it.
 */
function tomlFindValue(lines: string[], path: DocPath, value: string): Position | undefined {
  const keys = path.map(String)
  const literals = [JSON.stringify(value), `'${value}'`]
  const start = (tomlLineOf(lines, path) ?? 1) - 1
  for (let index = start; index < lines.length; index++) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(lines[index])
    if (header && index > start && !isTomlKeyPrefix(keys, header[1])) return undefined
    for (const literal of literals) {
      const at = lines[index].indexOf(literal)
      if (at !== -1) return {line: index + 1, column: at + 1}
    }
  }

  return undefined
}

function isTomlKeyPrefix(keys: string[], dotted: string): boolean {
  const parts = tomlKeyParts(dotted)
  return parts.length >= keys.length && keys.every((key, i) => parts[i] === key)
}

/**
 * smol-toml keeps no positions, so find the table header (`[a.b]`, `[a."b"]`) or, failing that, the
 * `key =` line that defines the path. Good enough to point a person at an entry.
 */
function tomlLineOf(lines: string[], path: DocPath): number | undefined {
  const keys = path.map(String)
  for (let depth = keys.length; depth > 0; depth--) {
    const header = keys.slice(0, depth)
    const index = lines.findIndex((line) => {
      const match = /^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$/.exec(line)
      return match !== null && sameTomlKey(match[1], header)
    })
    if (index !== -1) return index + 1
  }

  const last = keys.at(-1)
  if (last === undefined) return undefined
  const keyLine = lines.findIndex((line) => new RegExp(`^\\s*"?${escapeRegExp(last)}"?\\s*=`).test(line))
  return keyLine === -1 ? undefined : keyLine + 1
}

function sameTomlKey(dotted: string, keys: string[]): boolean {
  const parts = tomlKeyParts(dotted)
  return parts.length === keys.length && parts.every((part, i) => part === keys[i])
}

function tomlKeyParts(dotted: string): string[] {
  const parts = dotted.match(/"[^"]*"|'[^']*'|[^.\s]+/g) ?? []
  return parts.map((part) => part.replace(/^["']|["']$/g, ''))
}

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
}
