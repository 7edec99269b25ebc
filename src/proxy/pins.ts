import {join} from 'node:path'

import {canonicalName} from '../policy/canonical.js'
import {readJsonFile, writeJsonFile} from '../state-files.js'
import {canonicalJson, sha256} from '../digest.js'
import {pinsDir} from '../state-layout.js'
import {type Likeness, likenessOf, RENAME_THRESHOLD} from './likeness.js'

export interface ToolDefinition {
  name: string
  title?: string
  description?: string
  inputSchema?: unknown
  outputSchema?: unknown
  annotations?: unknown
}

/** A definition seen since the pin that differs from it (or renames a removed tool), waiting for a person. */
export interface PinChange {
  hash: string
  seenAt: string
  definition: ToolDefinition
  /** Set when this tool looks like a pinned tool that left the listing: the key of that tool, and how alike. */
  renamedFrom?: string
  likeness?: Likeness
}

export interface PinEntry {
  hash: string
  pinnedAt: string
  /** The trusted definition (pins written before agentgov kept it have only the hash). */
  definition?: ToolDefinition
  changed?: PinChange
}

export interface PinFile {
  server: string
  /** Keyed by the tool's canonical name (see `toolKey`). */
  tools: Record<string, PinEntry>
}

export type PinVerdict = 'changed' | 'new' | 'same'

/** A verdict with the change behind it, when there is one. */
export interface PinCheck {
  verdict: PinVerdict
  change?: PinChange
}

/**
 * Everything of a tool definition the model reads or the client acts on. An absent member hashes as
 * null: pins written before the project had one canonical JSON (which leaves undefined out) hashed
 * it so, and they must stay valid.
 */
export function definitionHash(tool: ToolDefinition): string {
  const {name, title, description, inputSchema, outputSchema, annotations} = tool
  return sha256(canonicalJson({name: name ?? null, title: title ?? null, description: description ?? null, inputSchema: inputSchema ?? null, outputSchema: outputSchema ?? null, annotations: annotations ?? null}))
}

/**
 * The key a tool is pinned, marked changed or poisoned under: its canonical name, the one the policy
 * decides on (`ECHO` and full-width `ｅｃｈｏ` are `echo`). A name with no canonical form (invisible
 * or control characters) keeps its raw spelling: no canonical name holds those, so it collides with none.
 */
export function toolKey(name: string): string {
  return canonicalName(name) ?? name
}

export function pinFilePath(stateDirectory: string, server: string): string {
  return join(pinsDir(stateDirectory), `${encodeURIComponent(server)}.json`)
}

const STRENGTH: Record<PinVerdict, number> = {same: 0, new: 1, changed: 2}

/**
 * Tool-definition pins for one server: the first definition seen is trusted, a later change is a
 * rug pull until a person accepts it (`agentgov pins accept`). A change once seen stays a change,
 * whatever is listed after it: only an acceptance clears it. The file is re-read before each check
 * so an acceptance reaches every running proxy.
 */
export class PinStore {
  private readonly path: string

  constructor(
    stateDirectory: string,
    private readonly server: string,
  ) {
    this.path = pinFilePath(stateDirectory, server)
  }

  /**
   * Check a page of tools at once (one read, at most one write); verdicts by `toolKey`. `listed`: the
   * keys earlier pages of the same listing brought. A tool seen for the first time is compared with
   * every pinned tool that is neither on this page nor in `listed`: one that looks like it is a
   * rename (a rug pull under a new name), and counts as changed.
   */
  check(tools: readonly ToolDefinition[], listed?: ReadonlySet<string>): Map<string, PinVerdict> {
    return new Map([...this.inspect(tools, listed)].map(([key, {verdict}]) => [key, verdict]))
  }

  /** `check`, with the pending change behind each changed verdict (what changed, or which tool it renames). */
  inspect(tools: readonly ToolDefinition[], listed: ReadonlySet<string> = new Set()): Map<string, PinCheck> {
    const file = this.load()
    const checks = new Map<string, PinCheck>()
    const verdict = (key: string, value: PinVerdict) => {
      const before = checks.get(key)
      if (before === undefined || STRENGTH[value] > STRENGTH[before.verdict]) checks.set(key, {verdict: value, change: file.tools[key]?.changed})
    }

    const onPage = new Set(tools.map((tool) => toolKey(tool.name)))
    const gone = Object.entries(file.tools).filter(([key, pin]) => pin.definition && !onPage.has(key) && !listed.has(key))
    let dirty = false
    const now = new Date().toISOString()
    const change = (pin: PinEntry, hash: string, tool: ToolDefinition) => {
      if (pin.changed?.hash === hash) return
      pin.changed = {hash, seenAt: now, definition: tool}
      dirty = true
    }

    for (const tool of tools) {
      const key = toolKey(tool.name)
      const hash = definitionHash(tool)
      const pin = file.tools[key]
      if (!pin) {
        const entry: PinEntry = {hash, pinnedAt: now, definition: tool}
        file.tools[key] = entry
        dirty = true
        const renamed = renameOf(tool, gone)
        if (renamed) {
          entry.changed = {hash, seenAt: now, definition: tool, renamedFrom: renamed.key, likeness: renamed.likeness}
          verdict(key, 'changed')
        } else {
          verdict(key, 'new')
        }
      } else if (pin.hash !== hash) {
        // Only a person clears a change: a second differing definition does not replace the first.
        if (!pin.changed) change(pin, hash, tool)
        verdict(key, 'changed')
      } else {
        verdict(key, pin.changed ? 'changed' : 'same')
      }
    }

    if (dirty) writeJsonFile(this.path, file)
    return checks
  }

  /** True while a changed definition of `tool` waits for acceptance. */
  isChanged(tool: string): boolean {
    return this.load().tools[toolKey(tool)]?.changed !== undefined
  }

  private load(): PinFile {
    return loadPins(this.path, this.server)
  }
}

/** The most alike pinned tool that left the listing, when it is alike enough to call this one a rename of it. */
function renameOf(tool: ToolDefinition, gone: ReadonlyArray<[string, PinEntry]>): {key: string; likeness: Likeness} | undefined {
  let best: {key: string; likeness: Likeness} | undefined
  for (const [key, pin] of gone) {
    const likeness = likenessOf(pin.definition!, tool)
    if (likeness.score >= RENAME_THRESHOLD && (!best || likeness.score > best.likeness.score)) best = {key, likeness}
  }

  return best
}

/**
 * A server's pin file, keyed by canonical name. Files written before pins were keyed so may hold one
 * tool under two spellings (`ren` and `Ren`): they are merged, and two differing definitions under
 * one name are a change waiting for a person.
 */
export function loadPins(path: string, server: string): PinFile {
  const file = readJsonFile<PinFile>(path)
  if (!file || typeof file.tools !== 'object' || file.tools === null) return {server, tools: {}}
  const tools: Record<string, PinEntry> = {}
  for (const [name, pin] of Object.entries(file.tools)) {
    const key = toolKey(name)
    const first = tools[key]
    if (!first) tools[key] = pin
    else if (first.hash !== pin.hash && !first.changed) first.changed = pin.changed ?? {hash: pin.hash, seenAt: pin.pinnedAt, definition: pin.definition ?? {name}}
  }

  return {server: file.server ?? server, tools}
}

/** Accept the changed definitions of a server (all, or the named tools, in any spelling); returns the tools accepted. */
export function acceptPins(stateDirectory: string, server: string, tools?: readonly string[]): string[] {
  const path = pinFilePath(stateDirectory, server)
  const file = loadPins(path, server)
  const wanted = tools && new Set(tools.map(toolKey))
  const accepted: string[] = []
  for (const [key, pin] of Object.entries(file.tools)) {
    if (!pin.changed || (wanted && !wanted.has(key))) continue
    file.tools[key] = {hash: pin.changed.hash, pinnedAt: new Date().toISOString(), definition: pin.changed.definition}
    accepted.push(key)
  }

  if (accepted.length > 0) writeJsonFile(path, file)
  return accepted
}
