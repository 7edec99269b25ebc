import {readdirSync} from 'node:fs'
import {join} from 'node:path'

import {pinsDir} from '../state-layout.js'
import {definitionDiff, type FieldDiff, visibleText} from './pin-diff.js'
import type {Likeness} from './likeness.js'
import {loadPins, type PinFile, pinFilePath, toolKey} from './pins.js'

/** One pinned tool as `pins list` and `pins show` present it; every server-chosen string is made visible. */
export interface ToolPinReport {
  /** The canonical name the tool is pinned under. */
  tool: string
  /** The name as the server listed it in the trusted definition. */
  name: string
  pinnedAt: string
  changed: boolean
  changedAt?: string
  /** The pinned tool this new one looks like, which left the listing (a rename rug pull). */
  renamedFrom?: string
  likeness?: Likeness
  /** What changed, field by field; undefined when the definition compared with was not kept (pinned by an older agentgov). */
  diff?: FieldDiff[]
}

export interface ServerPinReport {
  server: string
  tools: ToolPinReport[]
}

function report(file: PinFile): ServerPinReport {
  const tools = Object.entries(file.tools).map(([key, pin]): ToolPinReport => {
    const base = {tool: visibleText(key), name: visibleText(pin.definition?.name ?? key), pinnedAt: pin.pinnedAt, changed: pin.changed !== undefined}
    const change = pin.changed
    if (!change) return base
    // A rename is compared with the tool it looks like; a change with the definition it replaces.
    const before = change.renamedFrom === undefined ? pin.definition : file.tools[change.renamedFrom]?.definition
    return {
      ...base,
      changedAt: change.seenAt,
      ...(change.renamedFrom === undefined ? {} : {renamedFrom: visibleText(change.renamedFrom), likeness: change.likeness}),
      diff: before && definitionDiff(before, change.definition),
    }
  })
  return {server: visibleText(file.server), tools}
}

/** Every server's pins, as the pin files say. */
export function allPinReports(stateDirectory: string): ServerPinReport[] {
  const dir = pinsDir(stateDirectory)
  let names: string[] = []
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'))
  } catch {
    // No proxy has run yet.
  }

  return names.sort().map((name) => report(loadPins(join(dir, name), decodeURIComponent(name.slice(0, -'.json'.length)))))
}

/** One server's pins (only `tools`, in any spelling, when given); undefined when nothing of that server is pinned. */
export function serverPinReport(stateDirectory: string, server: string, tools?: readonly string[]): ServerPinReport | undefined {
  const file = loadPins(pinFilePath(stateDirectory, server), server)
  if (Object.keys(file.tools).length === 0) return undefined
  const shown = report(file)
  if (!tools || tools.length === 0) return shown
  const wanted = new Set(tools.map((tool) => visibleText(toolKey(tool))))
  return {...shown, tools: shown.tools.filter((tool) => wanted.has(tool.tool))}
}
