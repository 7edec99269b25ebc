import {makeVisible} from '../detect/visible.js'
import type {ToolAnnotations} from '../policy/types.js'
import type {JsonRpcResponse} from './jsonrpc.js'
import {definitionHash, type PinChange, type PinStore, type ToolDefinition, toolKey} from './pins.js'
import type {PolicyPort} from './ports.js'
import type {SessionRecorder} from './recorder.js'
import {scanTools} from './scanning.js'

export interface CatalogueOptions {
  agent: string
  server: string
  policy: PolicyPort
  pins: Pick<PinStore, 'inspect'>
  recorder: Pick<SessionRecorder, 'trust'>
  /** Ask the server for one page of tools/list, under the proxy's own id. */
  listTools(cursor: string | undefined): Promise<JsonRpcResponse>
  /** Tell the client its tools changed (it lists them again and is shown what now stands). */
  listChanged(): void
  log(message: string): void
}

/** More pages than any server has: a server that keeps handing out cursors is stopped here. */
const MAX_PAGES = 100

/** What the session knows of one tool: every distinct definition listed under its canonical name. */
interface Known {
  definitions: Map<string, ToolDefinition>
  poisoned: boolean
}

/**
 * The server's tools as this session knows them: their definitions (for the annotations conditions
 * read), which changed since they were pinned (possible rug pulls) and which carry instructions aimed
 * at the model. It learns from every tools/list answer, the client's or its own, and decides what
 * the client is shown.
 *
 * Every lookup goes through `toolKey`, the canonical name the policy decides on: `ECHO`, `Echo` and
 * full-width `ｅｃｈｏ` are one tool here as they are to the policy (and to a lenient server). Two
 * differing definitions under one name, on one page or on two, are a change; a change stays until a
 * person accepts it (the pin store keeps it); a tool with one poisoned definition is poisoned until
 * the server says its tools changed.
 */
export class ToolCatalogue {
  private readonly known = new Map<string, Known>()
  private readonly changed = new Set<string>()
  /** The keys earlier pages of the client's current listing brought (a page with a nextCursor is followed by another). */
  private listing = new Set<string>()
  private refreshing?: Promise<void>

  constructor(private readonly options: CatalogueOptions) {}

  /** The tool's annotations; none when it was listed with two differing definitions (no hint is the cautious reading). */
  annotations(tool: string): ToolAnnotations | undefined {
    const definitions = this.known.get(toolKey(tool))?.definitions
    return definitions?.size === 1 ? ([...definitions.values()][0].annotations as ToolAnnotations | undefined) : undefined
  }

  /** True while a definition of `tool` (in any spelling) differs from its pin, or it renames a removed tool. */
  isChanged(tool: string): boolean {
    return this.changed.has(toolKey(tool))
  }

  /** True while a definition of `tool` (in any spelling) carries injection signs. */
  isPoisoned(tool: string): boolean {
    return this.known.get(toolKey(tool))?.poisoned === true
  }

  /** Learn the tools before the first decision that needs them (conditions may read annotations). */
  async ensureKnown(): Promise<void> {
    if (this.known.size === 0) await this.refresh()
  }

  /** The server said its tools changed: forget them and learn them again (what changed stays changed). */
  invalidate(): void {
    this.known.clear()
    void this.refresh()
  }

  /** A tools/list page for the client: learned, then without what the policy hides or the checks withhold. */
  shown(result: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(result.tools)) return result
    const {agent, server, policy} = this.options
    const tools = definitions(result.tools)
    const earlier = this.listing
    const before = new Set([...earlier].filter((key) => !this.changed.has(key)))
    this.learn(tools, earlier)
    // A change on this page to a tool an earlier page already showed: that copy has left, so the
    // client is told to list again (its calls are refused meanwhile: the change is marked).
    if ([...before].some((key) => this.changed.has(key))) this.options.listChanged()
    if (typeof result.nextCursor === 'string' && result.nextCursor !== '') for (const tool of tools) this.listing.add(toolKey(tool.name))
    else this.listing = new Set()
    const {pinning, scanning} = policy.settings()
    const shown = tools.filter(
      (tool) =>
        policy.visible(agent, server, tool.name, tool.annotations as ToolAnnotations) &&
        !(pinning === 'block' && this.isChanged(tool.name)) &&
        !(scanning === 'block' && this.isPoisoned(tool.name)),
    )
    return {...result, tools: shown}
  }

  /** Fetch every page of tools/list, to learn annotations and pin. Concurrent callers share one round. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      let cursor: string | undefined
      const listed = new Set<string>()
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = (await this.options.listTools(cursor)).result
        if (!result || !Array.isArray(result.tools)) break
        const tools = definitions(result.tools)
        this.learn(tools, listed)
        for (const tool of tools) listed.add(toolKey(tool.name))
        cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined
        if (!cursor) break
      }
    })().finally(() => {
      this.refreshing = undefined
    })
    return this.refreshing
  }

  /**
   * Pin and scan one page; `listed`: the keys of the listing's earlier pages. A changed definition
   * is a rug-pull finding, a poisoned one a description finding; both are recorded under the tool's
   * canonical name.
   */
  learn(tools: readonly ToolDefinition[], listed: ReadonlySet<string> = new Set()): void {
    const {server, pins, recorder, policy, log} = this.options
    for (const tool of tools) {
      const key = toolKey(tool.name)
      let known = this.known.get(key)
      if (!known) this.known.set(key, (known = {definitions: new Map(), poisoned: false}))
      known.definitions.set(definitionHash(tool), tool)
    }

    const checks = policy.settings().pinning === 'off' ? new Map() : pins.inspect(tools, listed)
    for (const [key, {verdict, change}] of checks) {
      if (verdict !== 'changed') {
        // The pin store says "same" only once no change waits: a person accepted it.
        this.changed.delete(key)
        continue
      }

      if (!this.changed.has(key)) log(`tool ${shownName(key)} of server "${server}" ${changeText(change)} (possible rug pull)`)
      this.changed.add(key)
      recorder.trust({kind: 'tool-pin', name: key}, false, change?.renamedFrom === undefined ? 'definition changed since pinned' : `looks like ${shownName(change.renamedFrom)}, which left the listing (${change.likeness?.how ?? 'renamed'}, ${change.likeness?.score.toFixed(2) ?? '?'})`)
    }

    for (const {tool, findings} of scanTools(tools)) {
      const key = toolKey(tool)
      const known = this.known.get(key)!
      if (!known.poisoned) log(`the definition of tool ${shownName(tool)} of server "${server}" carries instructions aimed at the model: ${findings.map((f) => f.kind).join(', ')}`)
      known.poisoned = true
      recorder.trust({kind: 'tool-description', name: key}, false, findings.map((f) => f.detail).join('; '))
    }
  }
}

function changeText(change: PinChange | undefined): string {
  if (change?.renamedFrom === undefined) return 'changed since it was pinned'
  return `looks like ${shownName(change.renamedFrom)}, a pinned tool that left the listing: a rename`
}

/** A server-chosen name for a log line: quoted, invisible and control characters spelt out. */
function shownName(name: string): string {
  return JSON.stringify(makeVisible(name))
}

/** Entries of a server's tools array that are tool definitions at all. */
function definitions(tools: unknown[]): ToolDefinition[] {
  return (tools as ToolDefinition[]).filter((tool) => tool && typeof tool.name === 'string')
}
