/**
 * The policy engine's contract with the rest of agentgov. The proxy, `policy explain` and the
 * benchmarks use only what is exported here and from src/policy/index.ts.
 */

export type Action = 'allow' | 'audit' | 'deny' | 'human_approval'

/** Where in the MCP flow a decision is taken (names as in the telemetry contract). */
export type Stage = 'post_tool' | 'pre_tool' | 'prompt' | 'resource' | 'tool_list'

export interface ToolAnnotations {
  destructiveHint?: boolean
  readOnlyHint?: boolean
  openWorldHint?: boolean
  idempotentHint?: boolean
}

/** What the gate asks about. */
export interface PolicyCall {
  agent: string
  server: string
  /** The tool as the server names it (resource stage: the URI; prompt stage: the prompt name). */
  tool: string
  stage: Stage
  args?: Readonly<Record<string, unknown>>
  annotations?: ToolAnnotations
}

export interface Decision {
  action: Action
  /** Name of the policy that decided; null when nothing matched (default deny). */
  policy: string | null
  /** Id of the rule that decided; null for the default. */
  rule: string | null
  /** Shown to the agent on denial and recorded with every decision. */
  reason: string
  /** The condition that matched, in words, for `policy explain` and traces. */
  condition?: string
  /** Set when a limit rather than a rule decided. */
  limit?: 'kill_switch' | 'loop' | 'rate_limit'
  /** The grant that lifted a human_approval into allow. */
  grant?: string
}

/** A person's time-boxed permission: lifts human_approval (never deny) for matching calls. */
export interface Grant {
  id: string
  agent: string
  /** Tool globs, qualified by server (`github.create_*`). */
  tools: string[]
  createdAt: number
  expiresAt: number
  createdBy: string
}

/**
 * A read-only view of the limits state at one instant. The evaluator reads it and never writes:
 * the caller records the call afterwards (PolicyStateStore.record).
 */
export interface StateSnapshot {
  /** ms since the epoch. */
  now: number
  /** Calls recorded under `key` since `sinceMs` (sliding window). */
  countSince(key: string, sinceMs: number): number
  /** Calls recorded under `key` ever (in this state's lifetime). */
  total(key: string): number
  grants: readonly Grant[]
  /** Agents blocked everywhere by the kill switch. */
  killed: ReadonlySet<string>
}

/** Proxy-facing settings a policy file may carry, with the defaults the engine fills in. */
export interface PolicySettings {
  /** Seconds a human-approval request waits before it counts as denied. Default 120. */
  approvalTimeoutSec: number
  /** What a changed tool definition does: block it until accepted, warn only, or nothing. Default block. */
  pinning: 'block' | 'off' | 'warn'
  /** What a finding in a tool description or result does. Default warn. */
  scanning: 'block' | 'off' | 'warn'
  /** Redact secrets in tool results before they reach the agent. Default true. */
  redactResults: boolean
  /** Whether traces keep (redacted) arguments, or only their digest. Default 'digest'. */
  recordArguments: 'digest' | 'redacted'
  /** Loop detection: the same tool with the same arguments `max` times within `windowSec`. */
  loop: {enabled: boolean; max: number; windowSec: number}
  /**
   * Agents (canonical names or globs) whose client shows an elicitation to a person, so their
   * approvals may be asked there; every other agent's go to `agentgov approvals`. Default none.
   */
  approveInClient: readonly string[]
}
