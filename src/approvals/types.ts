import type {ApprovalOutcome} from '../telemetry/record.js'

export type {ApprovalOutcome} from '../telemetry/record.js'

/** A call held for a person, as the proxy asks about it (in the client, or through `agentgov approvals`). */
export interface ApprovalQuestion {
  /** The client's id for the held request (HTTP sends the question on that request's stream). */
  requestId?: number | string
  agent: string
  server: string
  tool: string
  args: Record<string, unknown>
  rule: string | null
  reason: string
  timeoutMs: number
}

export interface ApprovalAnswer {
  outcome: ApprovalOutcome
  /** Who or what answered: `user@host (cli)`, `elicitation:claude-code` (the person at that agent's client), `timeout`. */
  approver: string
  channel: 'cli' | 'elicitation'
}
