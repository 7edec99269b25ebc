import {join} from 'node:path'

import {readJsonFile, writeJsonFile} from '../state-files.js'
import {canonicalJson, sha256} from '../digest.js'
import {pinsDir} from '../state-layout.js'

export interface ToolDefinition {
  name: string
  title?: string
  description?: string
  inputSchema?: unknown
  outputSchema?: unknown
  annotations?: unknown
}

interface PinEntry {
  hash: string
  pinnedAt: string
  /** A definition seen since that differs from the pin, waiting for a person to accept it. */
  changed?: {hash: string; seenAt: string; definition: ToolDefinition}
}

export interface PinFile {
  server: string
  tools: Record<string, PinEntry>
}

export type PinVerdict = 'changed' | 'new' | 'same'

/**
 * Everything of a tool definition the model reads or the client acts on. An absent member hashes as
 * null: pins written before the project had one canonical JSON (which leaves undefined out) hashed
 * it so, and they must stay valid.
 */
export function definitionHash(tool: ToolDefinition): string {
  const {name, title, description, inputSchema, outputSchema, annotations} = tool
  return sha256(canonicalJson({name: name ?? null, title: title ?? null, description: description ?? null, inputSchema: inputSchema ?? null, outputSchema: outputSchema ?? null, annotations: annotations ?? null}))
}

export function pinFilePath(stateDirectory: string, server: string): string {
  return join(pinsDir(stateDirectory), `${encodeURIComponent(server)}.json`)
}

/**
 * Tool-definition pins for one server: the first definition seen is trusted, a later change is a
 * rug pull until a person accepts it (`agentgov pins accept`). The file is re-read before each check
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

  /** Check a page of tools at once (one read, at most one write). */
  check(tools: readonly ToolDefinition[]): Map<string, PinVerdict> {
    const file = this.load()
    const verdicts = new Map<string, PinVerdict>()
    let dirty = false
    const now = new Date().toISOString()
    for (const tool of tools) {
      const hash = definitionHash(tool)
      const pin = file.tools[tool.name]
      if (!pin) {
        file.tools[tool.name] = {hash, pinnedAt: now}
        verdicts.set(tool.name, 'new')
        dirty = true
      } else if (pin.hash === hash) {
        if (pin.changed) {
          delete pin.changed
          dirty = true
        }

        verdicts.set(tool.name, 'same')
      } else {
        if (pin.changed?.hash !== hash) {
          pin.changed = {hash, seenAt: now, definition: tool}
          dirty = true
        }

        verdicts.set(tool.name, 'changed')
      }
    }

    if (dirty) writeJsonFile(this.path, file)
    return verdicts
  }

  /** True while a changed definition of `tool` waits for acceptance. */
  isChanged(tool: string): boolean {
    return this.load().tools[tool]?.changed !== undefined
  }

  private load(): PinFile {
    const file = readJsonFile<PinFile>(this.path)
    return file && typeof file.tools === 'object' && file.tools !== null ? file : {server: this.server, tools: {}}
  }
}

/** Accept the changed definitions of a server (all, or the named tools); returns the tools accepted. */
export function acceptPins(stateDirectory: string, server: string, tools?: readonly string[]): string[] {
  const path = pinFilePath(stateDirectory, server)
  const file = readJsonFile<PinFile>(path)
  if (!file) return []
  const accepted: string[] = []
  for (const [name, pin] of Object.entries(file.tools)) {
    if (!pin.changed || (tools && !tools.includes(name))) continue
    file.tools[name] = {hash: pin.changed.hash, pinnedAt: new Date().toISOString()}
    accepted.push(name)
  }

  if (accepted.length > 0) writeJsonFile(path, file)
  return accepted
}
