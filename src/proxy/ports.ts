import type {Decision, PolicyCall, PolicySettings, ToolAnnotations} from '../policy/types.js'
import type {DecisionFields} from '../telemetry/record.js'

/** A decision as the session acts on it, whoever made it: the policy or a check before it. */
export interface GateDecision extends Decision, Pick<DecisionFields, 'findings' | 'hidden' | 'redacted' | 'returned'> {
  /** Not recorded: the trace store cannot take it. The refusal is said on stderr instead. */
  unrecorded?: true
}

/**
 * What the session needs from the policy engine. The engine's own module binds it (policy-port.ts);
 * tests can bind a fixed policy. Kept this narrow so the pump never depends on how rules are stored.
 */
export interface PolicyPort {
  /**
   * Evaluate and record the call in the limits state (rate and loop windows). `variants`: the same
   * call with other readings of its arguments (symlinks followed); the strictest decision wins. The
   * call is recorded once.
   */
  decide(call: PolicyCall, variants?: ReadonlyArray<Readonly<Record<string, unknown>>>): Decision
  /** False when every call of the tool would be denied whatever its arguments: hidden from tools/list. */
  visible(agent: string, server: string, tool: string, annotations?: ToolAnnotations): boolean
  settings(): PolicySettings
  /**
   * The kill switch's refusal when `agent` is stopped. The policy applies it to every call it
   * decides; the session asks it for the requests no policy stage decides (lists, completions,
   * task bookkeeping), which the kill switch stops too.
   */
  killed(agent: string): Decision | undefined
}
