import {isDeepStrictEqual} from 'node:util'

import {type ConfigFormat, type DocPath, parseConfig} from './document.js'
import {editJsonc} from './jsonc-edit.js'
import {type FormatEditor, UnsupportedEditError} from './text.js'
import {editToml} from './toml-edit.js'
import {editYaml} from './yaml-edit.js'

export {UnsupportedEditError} from './text.js'

/**
 * One change to a config value. `after` names a sibling key a new key is placed behind (where the
 * format lets us choose), so a launch's `args` lands next to its `command`.
 */
export type ConfigEdit =
  | {op: 'delete'; path: DocPath}
  | {op: 'set'; path: DocPath; value: unknown; after?: string}

const EDITORS: Record<ConfigFormat, FormatEditor> = {json: editJsonc, jsonc: editJsonc, yaml: editYaml, toml: editToml}

export function editorFor(format: ConfigFormat): FormatEditor {
  return EDITORS[format]
}

/**
 * Apply edits to a file's text without re-serialising it, then prove the result: the new text must
 * parse to exactly the old value with the edits applied, or nothing is returned but an error.
 */
export function applyConfigEdits(text: string, format: ConfigFormat, edits: readonly ConfigEdit[]): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : ''
  const body = bom ? text.slice(1) : text
  const editor = EDITORS[format]
  let next = body
  for (const edit of edits) {
    next = edit.op === 'set' ? editor.set(next, edit.path, edit.value, edit.after) : editor.delete(next, edit.path)
  }

  const expected = plain(parseConfig(body, format).value)
  for (const edit of edits) applyToValue(expected, edit)
  const actual = plain(parseConfig(next, format).value)
  if (!isDeepStrictEqual(actual, expected)) {
    throw new UnsupportedEditError('the in-place edit did not produce the intended value (an unusual layout)')
  }

  return bom + next
}

/** Replace the text at `path` with `replacement` verbatim (used to put an entry's original text back). */
export function replaceSpan(text: string, format: ConfigFormat, path: DocPath, replacement: string): string | undefined {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : ''
  const body = bom ? text.slice(1) : text
  const span = EDITORS[format].span(body, path)
  if (!span) return undefined
  return bom + body.slice(0, span[0]) + replacement + body.slice(span[1])
}

export function spanText(text: string, format: ConfigFormat, path: DocPath): string | undefined {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const span = EDITORS[format].span(body, path)
  return span ? body.slice(span[0], span[1]) : undefined
}

/** Parsers differ in prototypes (smol-toml's tables) and dates: compare plain data only. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item)))
}

function applyToValue(root: unknown, edit: ConfigEdit): void {
  let parent = root as Record<number | string, unknown>
  for (const key of edit.path.slice(0, -1)) parent = parent[key] as Record<number | string, unknown>
  const last = edit.path.at(-1) as number | string
  if (edit.op === 'set') parent[last] = structuredClone(edit.value)
  else delete parent[last]
}
