/**
 * The one YAML reader for policy files: js-yaml parses (YAML 1.2 core schema), and its composeNode
 * 'open'/'close' events are turned into a tree of map, sequence and scalar nodes that each know
 * where they start, so every diagnostic can name file:line:col. Aliases are resolved to the node
 * they name. The tree is checked against the values js-yaml returned, so a node is never placed
 * anywhere but where js-yaml read it: if the two ever disagree the file is refused.
 */
import {CORE_SCHEMA, load, type State, YAMLException} from 'js-yaml'

interface Located {
  /** Where the node's first character is, for linePos. */
  offset: number
  /** What js-yaml loaded for this node. */
  value: unknown
}

export interface YamlScalar extends Located {
  kind: 'scalar'
}

export interface YamlSeq extends Located {
  kind: 'seq'
  items: YamlNode[]
}

export interface YamlPair {
  key: YamlNode
  /** null when the key has no `:` at all (`? key`, or `{key}` in flow style). */
  value: YamlNode | null
  /** The key was written as an alias (`*a: …`). */
  aliasKey: boolean
}

export interface YamlMap extends Located {
  kind: 'map'
  items: YamlPair[]
}

export type YamlNode = YamlMap | YamlSeq | YamlScalar

export const isMap = (node: YamlNode | null | undefined): node is YamlMap => node?.kind === 'map'
export const isSeq = (node: YamlNode | null | undefined): node is YamlSeq => node?.kind === 'seq'
export const isScalar = (node: YamlNode | null | undefined): node is YamlScalar => node?.kind === 'scalar'

export interface Pos {
  line: number
  col: number
}

export interface YamlTree {
  /** null for a file with no content (empty, or only comments). */
  root: YamlNode | null
  error?: Pos & {message: string}
  /** 1-based line and column of an offset, as yaml's LineCounter.linePos gives them. */
  linePos(offset: number): Pos
}

/** The listener's view of js-yaml's state: the typings leave out the node's properties. */
type ComposeState = State & {tag: string | null; anchor: string | null}

/** One composeNode call, once it has closed. */
interface Composed {
  open: number
  /** Where the node's own text starts, after separation space and properties. */
  start: number
  end: number
  /** null when composeNode read nothing at all. */
  node: YamlNode | null
  kind: string | null
  result: unknown
  alias: boolean
}

class TreeError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message)
  }
}

const SPACE = 0x20
const TAB = 0x09
const LF = 0x0a
const CR = 0x0d
const isBlank = (c: number) => c === SPACE || c === TAB
const isBreak = (c: number) => c === LF || c === CR
const isFlowIndicator = (c: number) => c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d

export function parseYamlTree(text: string): YamlTree {
  const lines = lineCounter(text)
  // js-yaml drops a leading BOM and counts its positions from after it; lines and columns count it.
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const linePos = (offset: number) => lines(offset + shift)
  const builder = new Builder()
  const fail = (offset: number, message: string): YamlTree => ({root: null, error: {...linePos(offset), message}, linePos})
  try {
    load(text, {schema: CORE_SCHEMA, listener: (event, state) => builder.event(event, state as ComposeState)})
  } catch (error) {
    if (error instanceof TreeError) return fail(error.offset, error.message)
    if (!(error instanceof YAMLException)) throw error
    const docs = builder.documents
    // Only the multiple-documents error comes without a mark: point at the second document.
    if (!error.mark && docs.length > 1) return fail(builder.skipSeparation(docs[0].end), 'a policy file holds one YAML document; found more than one')
    // The mark's position, not its line and column, so that a BOM is counted as everywhere else.
    return fail(error.mark?.position ?? 0, firstLine(error.reason || error.message))
  }

  return {root: builder.documents[0]?.node ?? null, linePos}
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim()
}

/** Line starts are found once, on the first request, and searched by bisection. */
function lineCounter(text: string): (offset: number) => Pos {
  let starts: number[] | undefined
  return (offset) => {
    if (!starts) {
      starts = [0]
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
    }

    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if (starts[mid] <= offset) low = mid
      else high = mid - 1
    }

    return {line: low + 1, col: offset - starts[low] + 1}
  }
}

class Builder {
  /** Children of each composeNode still open; the first entry collects the documents. */
  private readonly stack: Array<{open: number; children: Composed[]}> = [{open: 0, children: []}]
  private input = ''
  /** Collections by the object js-yaml built for them: an alias's result is that same object. */
  private readonly byResult = new WeakMap<object, YamlNode>()
  /** Scalars by anchor name: a scalar alias's result is a copy, so it is found by its name. */
  private readonly byAnchor = new Map<string, YamlNode>()

  get documents(): Composed[] {
    return this.stack[0].children
  }

  event(event: 'open' | 'close', state: ComposeState): void {
    this.input = state.input
    if (event === 'open') {
      this.stack.push({open: state.position, children: []})
      return
    }

    const frame = this.stack.pop()!
    const composed = this.close(frame.open, frame.children, state)
    this.stack.at(-1)!.children.push(composed)
  }

  private close(open: number, children: Composed[], state: ComposeState): Composed {
    const {kind, result} = state
    const start = this.skipToContent(open)
    const alias = kind === null && this.input.charCodeAt(start) === 0x2a
    let node: YamlNode | null
    if (kind === 'mapping' || kind === 'sequence') {
      // readBlockMapping keeps the result of a lone key it read when no `:` follows: the inner node is the real one.
      const lone = children.length === 1 && children[0].kind === kind && children[0].result === result ? children[0].node : null
      node = lone ?? (kind === 'mapping' ? this.map(start, children, result) : this.seq(start, children, result))
    } else if (kind === 'scalar') {
      node = {kind: 'scalar', offset: start, value: result}
    } else if (alias) {
      node = this.alias(start, result)
    } else if (state.tag === null && state.anchor === null) {
      node = null
    } else {
      node = {kind: 'scalar', offset: this.skipProperties(open), value: result}
    }

    if (node && !alias) {
      if (typeof result === 'object' && result !== null) this.byResult.set(result, node)
      if (state.anchor !== null) this.byAnchor.set(state.anchor, node)
    }

    return {open, start, end: state.position, node, kind, result, alias}
  }

  private alias(start: number, result: unknown): YamlNode {
    if (typeof result === 'object' && result !== null) {
      const target = this.byResult.get(result)
      if (!target) throw new TreeError(start, 'an alias refers to a collection that contains it')
      return target
    }

    let end = start + 1
    while (end < this.input.length && !this.isSeparator(this.input.charCodeAt(end)) && !isFlowIndicator(this.input.charCodeAt(end))) end++
    const target = this.byAnchor.get(this.input.slice(start + 1, end))
    return target && Object.is(target.value, result) ? target : {kind: 'scalar', offset: start, value: result}
  }

  private seq(start: number, children: Composed[], result: unknown): YamlSeq {
    const values = result as unknown[]
    const items: YamlNode[] = []
    if (this.input.charCodeAt(start) === 0x5b) {
      for (const entry of this.entries(children, true)) items.push(entry.value ? this.singlePair(entry.key, entry.value, values[items.length]) : this.need(entry.key))
    } else {
      // An entry that is a bare `-` at the end of its line is never composed: find it by its dash.
      let at = start
      let next = 0
      while (items.length < values.length) {
        if (this.input.charCodeAt(at) !== 0x2d) throw new TreeError(at, 'the reader lost its place in a list')
        const content = this.skipSeparation(at + 1)
        const child = children[next]
        if (child && child.open === content) {
          items.push(this.need(child))
          next++
          at = this.skipSeparation(child.end)
        } else {
          items.push({kind: 'scalar', offset: this.skipBlanks(at + 1), value: null})
          at = content
        }
      }
    }

    const node: YamlSeq = {kind: 'seq', offset: start, value: result, items}
    this.check(items.length === values.length && items.every((item, i) => Object.is(item.value, values[i])), start)
    return node
  }

  private map(start: number, children: Composed[], result: unknown): YamlMap {
    const flow = this.input.charCodeAt(start) === 0x7b
    const entries = this.entries(children, flow)
    // A block mapping can end by composing a key that is not there; only `?` introduces an empty key.
    const last = entries.at(-1)
    if (!flow && last && !last.value && !last.key.node && this.input.charCodeAt(last.key.open - 1) !== 0x3f) entries.pop()
    const items = entries.map(({key, value}): YamlPair => ({key: this.key(key), value: value ? this.need(value) : null, aliasKey: key.alias}))
    const object = result as Record<string, unknown>
    this.check(
      Object.keys(object).length === items.length &&
        items.every(({key, value}) => key.kind !== 'scalar' || (Object.hasOwn(object, String(key.value)) && Object.is(object[String(key.value)], value ? value.value : null))),
      start,
    )
    return {kind: 'map', offset: start, value: result, items}
  }

  /** Keys and values: a child is a value when the text since the one before it is a `:`. */
  private entries(children: Composed[], flow: boolean): Array<{key: Composed; value?: Composed}> {
    const entries: Array<{key: Composed; value?: Composed}> = []
    children.forEach((child, i) => {
      const isValue = i > 0 && this.isColon(this.skipSeparation(children[i - 1].end), flow)
      if (!isValue) entries.push({key: child})
      else if (entries.at(-1)?.value === undefined) entries.at(-1)!.value = child
      else throw new TreeError(child.open, 'the reader lost its place in a mapping')
    })
    return entries
  }

  /** `[a: 1]`: a flow sequence entry that is one key and value. */
  private singlePair(key: Composed, value: Composed, result: unknown): YamlMap {
    const pair: YamlPair = {key: this.key(key), value: this.need(value), aliasKey: key.alias}
    const object = result as Record<string, unknown>
    this.check(Object.keys(object).length === 1 && (pair.key.kind !== 'scalar' || Object.is(object[String(pair.key.value)], pair.value!.value)), pair.key.offset)
    return {kind: 'map', offset: pair.key.offset, value: result, items: [pair]}
  }

  /** A key written as an alias is placed where the alias is: the key is refused there. */
  private key(child: Composed): YamlNode {
    const node = this.need(child)
    return child.alias ? {...node, offset: child.start} : node
  }

  /** A child that read nothing still stands for a null where a key or value was due. */
  private need(child: Composed): YamlNode {
    return child.node ?? {kind: 'scalar', offset: this.skipProperties(child.open), value: child.result}
  }

  /** A mapping's `:`. In flow style entries are split by commas, so a `:` after a key is always one; in block style `:x` can start the next plain key. */
  private isColon(at: number, flow: boolean): boolean {
    return this.input.charCodeAt(at) === 0x3a && (flow || this.isSeparator(this.input.charCodeAt(at + 1)))
  }

  private check(ok: boolean, offset: number): void {
    if (!ok) throw new TreeError(offset, 'the reader could not place every value of this collection')
  }

  private isSeparator(c: number): boolean {
    return isBlank(c) || isBreak(c) || c === 0
  }

  private skipBlanks(at: number): number {
    while (isBlank(this.input.charCodeAt(at))) at++
    return at
  }

  /** As js-yaml's skipSeparationSpace: blanks, comments and line breaks. */
  skipSeparation(at: number): number {
    for (;;) {
      at = this.skipBlanks(at)
      if (this.input.charCodeAt(at) === 0x23) while (at < this.input.length && !isBreak(this.input.charCodeAt(at))) at++
      const c = this.input.charCodeAt(at)
      if (!isBreak(c)) return at
      at += c === CR && this.input.charCodeAt(at + 1) === LF ? 2 : 1
    }
  }

  /** A tag (`!!str`, `!<…>`) or anchor (`&a`) at `at`, skipped. */
  private skipProperty(at: number): number {
    const c = this.input.charCodeAt(at)
    if (c === 0x21 && this.input.charCodeAt(at + 1) === 0x3c) {
      const close = this.input.indexOf('>', at)
      return close < 0 ? this.input.length : close + 1
    }

    if (c !== 0x21 && c !== 0x26) return at
    at++
    while (at < this.input.length && !this.isSeparator(this.input.charCodeAt(at)) && !(c === 0x26 && isFlowIndicator(this.input.charCodeAt(at)))) at++
    return at
  }

  /** Where a node's own text starts: composeNode opens before separation space and properties. */
  private skipToContent(at: number): number {
    for (;;) {
      const next = this.skipProperty(this.skipSeparation(at))
      if (next === at) return at
      at = next
    }
  }

  /** Where an empty node sits: after the properties on its own line, as yaml places it. */
  private skipProperties(at: number): number {
    for (;;) {
      const next = this.skipProperty(this.skipBlanks(at))
      if (next === at) return this.skipBlanks(at)
      at = next
    }
  }
}
