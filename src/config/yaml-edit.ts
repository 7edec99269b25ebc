import {isMap, isNode, isScalar, type Pair, parseDocument, type YAMLMap} from 'yaml'

import type {DocPath} from './document.js'
import {oneLine} from './jsonc-edit.js'
import {type FormatEditor, layoutOf, lineEnd, lineStart, UnsupportedEditError} from './text.js'

/**
 * YAML located through the `yaml` library's comment-preserving Document and edited at the node's own
 * text range, so every other byte (comments, quoting, blank lines, block or flow style) stays.
 * Values are written in flow style (JSON is valid YAML), on the line of their key.
 */
export const editYaml: FormatEditor = {
  set(text, path, value, after) {
    const {map, pair} = locate(text, path)
    const written = typeof value === 'string' ? yamlScalar(value) : oneLine(value)
    if (pair) {
      const keyEnd = keyRange(pair)[1]
      if (isNode(pair.value) && pair.value.range) {
        // A block value's range runs through its last newline: keep that line break.
        const end = pair.value.range[1]
        const tail = /\s*$/.exec(text.slice(keyEnd, end))?.[0] ?? ''
        return text.slice(0, keyEnd) + `: ${written}` + tail + text.slice(end)
      }

      const colon = text.indexOf(':', keyEnd)
      return text.slice(0, colon + 1) + ` ${written}` + text.slice(colon + 1)
    }

    const anchor = (after ? findPair(map, after) : undefined) ?? map.items.at(-1)
    if (!anchor) throw new UnsupportedEditError('cannot add a key to an empty YAML map in place')
    const [keyStart] = keyRange(anchor)
    const indent = text.slice(lineStart(text, keyStart), keyStart)
    if (!/^[ \t]*(- )?$/.test(indent)) throw new UnsupportedEditError('YAML entry is not laid out one key per line')
    const endOfAnchor = isNode(anchor.value) && anchor.value.range ? anchor.value.range[1] : keyRange(anchor)[1]
    let at = lineEnd(text, Math.max(endOfAnchor - 1, keyStart))
    let prefix = ''
    if (at === text.length && !text.endsWith('\n')) prefix = layoutOf(text).eol
    // A comment or blank line right after the anchor's value belongs to what follows; insert before it.
    if (at > text.length) at = text.length
    const line = `${prefix}${' '.repeat(indent.length)}${yamlKey(String(path.at(-1)))}: ${written}${layoutOf(text).eol}`
    return text.slice(0, at) + line + text.slice(at)
  },
  delete(text, path) {
    const {pair} = locate(text, path)
    if (!pair) return text
    const [keyStart] = keyRange(pair)
    const start = lineStart(text, keyStart)
    if (!/^[ \t]*$/.test(text.slice(start, keyStart))) throw new UnsupportedEditError('cannot remove the first key of a YAML list item in place')
    const valueEnd = isNode(pair.value) && pair.value.range ? pair.value.range[1] : keyRange(pair)[1]
    return text.slice(0, start) + text.slice(lineEnd(text, Math.max(valueEnd - 1, keyStart)))
  },
  span(text, path) {
    const doc = parseDocument(text, {uniqueKeys: false})
    const node = doc.getIn([...path], true)
    return isNode(node) && node.range ? [node.range[0], node.range[1]] : undefined
  },
}

function locate(text: string, path: DocPath): {map: YAMLMap; pair?: Pair} {
  const doc = parseDocument(text, {uniqueKeys: false})
  const map = doc.getIn([...path.slice(0, -1)], true)
  if (!isMap(map)) throw new UnsupportedEditError(`no YAML map at ${path.slice(0, -1).join('.')}`)
  if (map.flow) throw new UnsupportedEditError('flow-style YAML maps are not edited in place')
  return {map, pair: findPair(map, String(path.at(-1)))}
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((item) => isScalar(item.key) && String(item.key.value) === key)
}

function keyRange(pair: Pair): [number, number] {
  if (isNode(pair.key) && pair.key.range) return [pair.key.range[0], pair.key.range[1]]
  throw new UnsupportedEditError('YAML key without a position')
}

/** A plain scalar where YAML would read it back as the same string; quoted otherwise. */
function yamlScalar(value: string): string {
  const plainSafe = /^[\w/.][\w/.@:-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+.\d][\d._eE+-]*)$/i.test(value)
  return plainSafe ? value : JSON.stringify(value)
}

function yamlKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key)
}
