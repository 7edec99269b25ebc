import type {DocPath} from './document.js'

/** Text of a file in one of the formats, edited in place: comments, order and layout elsewhere stay. */
export interface FormatEditor {
  set(text: string, path: DocPath, value: unknown, after?: string): string
  delete(text: string, path: DocPath): string
  /** [start, end) of the value at `path` in `text`, when it exists. */
  span(text: string, path: DocPath): [number, number] | undefined
}

/** A rewrite the format editor cannot express in place (a flow-style YAML map, a dotted TOML key). */
export class UnsupportedEditError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnsupportedEditError'
  }
}

/** The file's own line ending and indentation, so inserted text looks like its neighbours. */
export interface Layout {
  eol: string
  indent: string
}

export function layoutOf(text: string): Layout {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n'
  const indented = /^([ \t]+)\S/m.exec(text)
  let indent = '  '
  if (indented) indent = indented[1].startsWith('\t') ? '\t' : ' '.repeat(Math.min(indented[1].length, 8))
  return {eol, indent}
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

/** Offset just past the end of the line holding `offset` (past its newline when there is one). */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset)
  return newline === -1 ? text.length : newline + 1
}
