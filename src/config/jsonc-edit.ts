import {findNodeAtLocation, type FormattingOptions, modify, type Node, parseTree} from 'jsonc-parser'
import {applyEdits as applyTextEdits} from 'jsonc-parser'

import type {DocPath} from './document.js'
import {type FormatEditor, layoutOf, lineStart, UnsupportedEditError} from './text.js'

const PARSE = {allowTrailingComma: true, disallowComments: false, allowEmptyContent: true}

function nodeAt(text: string, path: DocPath): Node | undefined {
  const tree = parseTree(text, [], PARSE)
  return tree ? findNodeAtLocation(tree, [...path]) : undefined
}

function formatting(text: string): FormattingOptions {
  const {eol, indent} = layoutOf(text)
  return {insertSpaces: indent !== '\t', tabSize: indent === '\t' ? 4 : indent.length, eol}
}

/**
 * JSON and JSONC edited in place with jsonc-parser. A value that exists is replaced at its own span
 * with a serialisation that follows its old layout (one line stays one line; a multi-line array
 * stays one item per line); new and removed keys go through `modify`, which handles commas and
 * indentation with the file's own options.
 */
export const editJsonc: FormatEditor = {
  set(text, path, value, after) {
    const node = nodeAt(text, path)
    if (node) {
      const old = text.slice(node.offset, node.offset + node.length)
      const lineIndent = /^[ \t]*/.exec(text.slice(lineStart(text, node.offset)))?.[0] ?? ''
      const replacement = old.includes('\n') && Array.isArray(value) ? multiline(value, lineIndent, layoutOf(text)) : oneLine(value)
      return text.slice(0, node.offset) + replacement + text.slice(node.offset + node.length)
    }

    const parent = nodeAt(text, path.slice(0, -1))
    if (parent?.type !== 'object') throw new UnsupportedEditError(`no object at ${path.slice(0, -1).join('.')} to add ${String(path.at(-1))} to`)
    // `modify` places the key (commas, indentation, line endings); a placeholder keeps its formatter
    // from spreading the value over lines, and the value is then written like any other.
    const placed = applyTextEdits(
      text,
      modify(text, [...path], null, {
        formattingOptions: formatting(text),
        getInsertionIndex: (keys) => (after && keys.includes(after) ? keys.indexOf(after) + 1 : keys.length),
      }),
    )
    return editJsonc.set(placed, path, value)
  },
  delete(text, path) {
    if (!nodeAt(text, path)) return text
    return applyTextEdits(text, modify(text, [...path], undefined, {formattingOptions: formatting(text)}))
  },
  span(text, path) {
    const node = nodeAt(text, path)
    return node ? [node.offset, node.offset + node.length] : undefined
  },
}

/** Compact but readable: `["a", "b"]`, `{"k": "v"}`, as people write these entries by hand. */
export function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => oneLine(item)).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`).join(', ')}}`
  }

  return JSON.stringify(value)
}

function multiline(items: unknown[], lineIndent: string, layout: {eol: string; indent: string}): string {
  if (items.length === 0) return '[]'
  const inner = lineIndent + layout.indent
  return `[${layout.eol}${items.map((item) => inner + oneLine(item)).join(`,${layout.eol}`)}${layout.eol}${lineIndent}]`
}
