import type {ToolAnnotations} from '../policy/types.js'
import type {JsonRpcResponse} from './jsonrpc.js'
import type {PinStore, ToolDefinition} from './pins.js'
import type {PolicyPort} from './ports.js'
import type {SessionRecorder} from './recorder.js'
import {scanTools} from './scanning.js'

export interface CatalogueOptions {
  agent: string
  server: string
  policy: PolicyPort
  pins: Pick<PinStore, 'check'>
  recorder: Pick<SessionRecorder, 'trust'>
  /** Ask the server for one page of tools/list, under the proxy's own id. */
  listTools(cursor: string | undefined): Promise<JsonRpcResponse>
  log(message: string): void
}

/** More pages than any server has: a server that keeps handing out cursors is stopped here. */
const MAX_PAGES = 100

/**
 * The server's tools as this session knows them: their definitions (for the annotations conditions
 * read), which changed since they were pinned (possible rug pulls) and which carry instructions aimed
 * at the model. It learns from every tools/list answer, the client's or its own, and decides what
 * the client is shown. Every lookup goes through here, so how a name is keyed is decided in one place.
 */
export class ToolCatalogue {
  private readonly tools = new Map<string, ToolDefinition>()
  private readonly changed = new Set<string>()
  private readonly poisoned = new Set<string>()
  private refreshing?: Promise<void>

  constructor(private readonly options: CatalogueOptions) {}

  annotations(tool: string): ToolAnnotations | undefined {
    return this.tools.get(tool)?.annotations as ToolAnnotations | undefined
  }

  /** True while the definition of `tool` differs from its pin. */
  isChanged(tool: string): boolean {
    return this.changed.has(tool)
  }

  /** True while the definition of `tool` carries injection signs. */
  isPoisoned(tool: string): boolean {
    return this.poisoned.has(tool)
  }

  /** Learn the tools before the first decision that needs them (conditions may read annotations). */
  async ensureKnown(): Promise<void> {
    if (this.tools.size === 0) await this.refresh()
  }

  /** The server said its tools changed: forget them and learn them again. */
  invalidate(): void {
    this.tools.clear()
    void this.refresh()
  }

  /** A tools/list result for the client: learned, then without what the policy hides or the checks withhold. */
  shown(result: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(result.tools)) return result
    const {agent, server, policy} = this.options
    const tools = definitions(result.tools)
    this.learn(tools)
    const {pinning, scanning} = policy.settings()
    const shown = tools.filter(
      (tool) =>
        policy.visible(agent, server, tool.name, tool.annotations as ToolAnnotations) &&
        !(pinning === 'block' && this.changed.has(tool.name)) &&
        !(scanning === 'block' && this.poisoned.has(tool.name)),
    )
    return {...result, tools: shown}
  }

  /** Fetch every page of tools/list, to learn annotations and pin. Concurrent callers share one round. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      let cursor: string | undefined
      const seen: ToolDefinition[] = []
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = (await this.options.listTools(cursor)).result
        if (!result || !Array.isArray(result.tools)) break
        seen.push(...definitions(result.tools))
        cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined
        if (!cursor) break
      }

      this.learn(seen)
    })().finally(() => {
      this.refreshing = undefined
    })
    return this.refreshing
  }

  /** Pin and scan definitions; a changed one is a rug-pull finding, a poisoned one a description finding. */
  learn(tools: readonly ToolDefinition[]): void {
    const {server, pins, recorder, policy, log} = this.options
    const verdicts = policy.settings().pinning === 'off' ? new Map() : pins.check(tools)
    for (const tool of tools) {
      this.tools.set(tool.name, tool)
      if (verdicts.get(tool.name) === 'changed') {
        if (!this.changed.has(tool.name)) log(`tool "${tool.name}" of server "${server}" changed since it was pinned (possible rug pull)`)
        this.changed.add(tool.name)
        recorder.trust({kind: 'tool-pin', name: tool.name}, false, 'definition changed since pinned')
      } else {
        this.changed.delete(tool.name)
      }
    }

    for (const tool of tools) this.poisoned.delete(tool.name)
    for (const {tool, findings} of scanTools(tools)) {
      if (!this.poisoned.has(tool)) log(`the definition of tool "${tool}" of server "${server}" carries instructions aimed at the model: ${findings.map((f) => f.kind).join(', ')}`)
      this.poisoned.add(tool)
      recorder.trust({kind: 'tool-description', name: tool}, false, findings.map((f) => f.detail).join('; '))
    }
  }
}

/** Entries of a server's tools array that are tool definitions at all. */
function definitions(tools: unknown[]): ToolDefinition[] {
  return (tools as ToolDefinition[]).filter((tool) => tool && typeof tool.name === 'string')
}
