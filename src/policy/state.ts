/**
 * The limits state the proxy keeps: sliding windows of call times and lifetime totals, per key
 * (agent, agent+tool, agent+tool+arguments). Memory is bounded three ways: each key keeps at most
 * `maxEventsPerKey` times, times older than `maxWindowMs` are dropped, and past `maxKeys` keys some
 * go: argument-set (loop) keys first, each used since the last sweep getting a second chance.
 */
import {canonicalName} from './canonical.js'
import {agentKey, argsKey, loopPrefix, toolKey} from './keys.js'
import type {Decision, Grant, PolicyCall, StateSnapshot} from './types.js'

export interface StateStoreOptions {
  /** The longest window asked about (default one hour: `max_per_hour`). */
  maxWindowMs?: number
  /** Times kept per key (default 10,000): a limit above it saturates there. */
  maxEventsPerKey?: number
  /** Keys kept (default 20,000). */
  maxKeys?: number
}

/** Times of one key, ascending, in a ring that grows up to its cap. */
class Window {
  times: Float64Array
  start = 0
  size = 0
  /** Used since the last eviction sweep: it survives the next one. */
  touched = false

  constructor(capacity: number) {
    this.times = new Float64Array(capacity)
  }

  push(t: number, cap: number): void {
    if (this.size === this.times.length) {
      if (this.size < cap) this.grow(Math.min(cap, this.times.length * 2))
      else {
        // Full at the cap: the oldest time makes room.
        this.start = (this.start + 1) % this.times.length
        this.size--
      }
    }

    this.times[(this.start + this.size) % this.times.length] = t
    this.size++
  }

  private grow(capacity: number): void {
    const next = new Float64Array(capacity)
    for (let i = 0; i < this.size; i++) next[i] = this.times[(this.start + i) % this.times.length]
    this.times = next
    this.start = 0
  }

  dropBefore(t: number): void {
    while (this.size > 0 && this.times[this.start] <= t) {
      this.start = (this.start + 1) % this.times.length
      this.size--
    }
  }

  /** Times strictly after `since` (binary search: the times are ascending). */
  countAfter(since: number): number {
    let lo = 0
    let hi = this.size
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.times[(this.start + mid) % this.times.length] <= since) lo = mid + 1
      else hi = mid
    }

    return this.size - lo
  }
}

export class PolicyStateStore {
  /** Agent and tool keys: few (agents × tools), hit on every call. */
  private readonly windows = new Map<string, Window>()
  /** Loop keys, one per argument set: unbounded in number, so these are evicted first. */
  private readonly loops = new Map<string, Window>()
  private readonly totals = new Map<string, number>()
  private readonly maxWindowMs: number
  private readonly maxEventsPerKey: number
  private readonly maxKeys: number
  private grants: readonly Grant[] = []
  private killed: ReadonlySet<string> = new Set()

  constructor(options: StateStoreOptions = {}) {
    this.maxWindowMs = options.maxWindowMs ?? 3_600_000
    this.maxEventsPerKey = options.maxEventsPerKey ?? 10_000
    this.maxKeys = options.maxKeys ?? 20_000
  }

  /**
   * A view at `now` for one evaluation. It reads the live windows, so take it, evaluate and record
   * in one synchronous step.
   */
  snapshot(now: number): StateSnapshot {
    return {
      now,
      countSince: (key, sinceMs) => this.countSince(key, sinceMs),
      total: (key) => this.totals.get(key) ?? 0,
      grants: this.grants,
      killed: this.killed,
    }
  }

  countSince(key: string, sinceMs: number): number {
    return (key.startsWith('l') ? this.loops : this.windows).get(key)?.countAfter(sinceMs) ?? 0
  }

  /**
   * Count a call that goes ahead. Denied calls are not counted: a refused call spends no budget and
   * does not feed loop detection.
   */
  record(call: PolicyCall, decision: Decision, now: number): void {
    if (decision.action === 'deny') return
    const agent = canonicalName(call.agent)
    const server = canonicalName(call.server)
    const tool = canonicalName(call.tool)
    if (agent === undefined || server === undefined || tool === undefined) return
    // Loop keys are evicted before tool keys: the evaluator skips the loop key when the tool key is
    // quiet, so a tool key must outlive its loop keys.
    this.add(loopPrefix(agent, server, tool) + argsKey(call.args), now, false)
    this.add(toolKey(agent, server, tool), now, true)
    this.add(agentKey(agent), now, true)
  }

  setGrants(grants: readonly Grant[]): void {
    this.grants = grants
  }

  setKilled(agents: ReadonlySet<string>): void {
    this.killed = agents
  }

  /** Keys currently held (for tests and diagnostics). */
  get size(): number {
    return this.windows.size + this.loops.size
  }

  /**
   * No re-insertion per call (it made Map upkeep the proxy's largest cost): a hit only marks the
   * window touched, and eviction gives touched windows a second chance.
   */
  private add(key: string, now: number, counted: boolean): void {
    const map = counted ? this.windows : this.loops
    let window = map.get(key)
    if (window) {
      window.touched = true
    } else {
      if (this.size >= this.maxKeys) this.evict()
      window = new Window(4)
      map.set(key, window)
    }

    window.dropBefore(now - this.maxWindowMs)
    window.push(now, this.maxEventsPerKey)
    if (counted) this.totals.set(key, (this.totals.get(key) ?? 0) + 1)
  }

  private evict(): void {
    // Drop a tenth at once so eviction is not paid on every new key.
    const want = Math.max(1, Math.floor(this.maxKeys / 10))
    const dropped = sweep(this.loops, want)
    if (dropped < want) sweep(this.windows, want - dropped)
  }
}

/** Drop up to `want` untouched windows, oldest first; touched ones move to the back, untouched. */
function sweep(map: Map<string, Window>, want: number): number {
  let dropped = 0
  // Entries moved to the back are visited again: two passes at most.
  let budget = map.size * 2
  for (const [key, window] of map) {
    if (dropped >= want || budget-- <= 0) break
    map.delete(key)
    if (window.touched) {
      window.touched = false
      map.set(key, window)
    } else {
      dropped++
    }
  }

  return dropped
}

/** An empty state at `now`: for `policy explain`, `policy test` and tests. */
export function emptySnapshot(now: number, extra: Partial<Pick<StateSnapshot, 'grants' | 'killed'>> = {}): StateSnapshot {
  return {now, countSince: () => 0, total: () => 0, grants: extra.grants ?? [], killed: extra.killed ?? new Set()}
}
