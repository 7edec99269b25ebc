import type {ApprovalAnswer, ApprovalQuestion} from '../approvals/types.js'
import type {Decision, PolicyCall} from '../policy/types.js'
import type {JsonRpcId, JsonRpcResponse} from './jsonrpc.js'
import type {PolicyPort} from './ports.js'
import type {Origin, SessionRecorder} from './recorder.js'

/** A request the proxy sends the client itself, and a way to stop waiting for its answer. */
export interface ClientRequest {
  response: Promise<JsonRpcResponse>
  /** The proxy no longer waits: an answer that still comes is refused as unasked. */
  forget(): void
}

export interface ApproverOptions {
  agent: string
  server: string
  policy: Pick<PolicyPort, 'settings'>
  recorder: Pick<SessionRecorder, 'approval'>
  /** Ask a person through the state directory (`agentgov approvals`). */
  askCli(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer>
  /** Send the client a request under a proxy-owned id, on the stream of `relatedRequestId`. */
  requestClient(method: string, params: Record<string, unknown>, relatedRequestId?: JsonRpcId): ClientRequest
}

/**
 * Human approval of a held call: in the client when it can ask its user (elicitation), otherwise
 * through `agentgov approvals`. Every round is recorded; a timeout or cancellation denies.
 */
export class Approver {
  /** What the client said it can do in initialize. */
  private clientElicits = false
  private clientName = 'client'
  /** Rounds being asked: close waits for them, so a cancelled one is marked and recorded before exit. */
  private readonly asking = new Set<Promise<ApprovalAnswer>>()

  constructor(private readonly options: ApproverOptions) {}

  /** From the client's initialize: whether it can elicit, and the name its answers are recorded under. */
  client(capabilities: Record<string, unknown> | undefined, name: unknown): void {
    this.clientElicits = typeof capabilities?.elicitation === 'object' && capabilities.elicitation !== null
    if (typeof name === 'string') this.clientName = name
  }

  /** Ask a person about one call; true when approved. `signal` ends the wait (cancelled). */
  async approve(call: PolicyCall, decision: Decision, origin: Origin, signal: AbortSignal): Promise<boolean> {
    const {agent, server, policy, recorder} = this.options
    const question: ApprovalQuestion = {
      requestId: origin.id,
      agent,
      server,
      tool: call.tool,
      args: (call.args ?? {}) as Record<string, unknown>,
      rule: decision.rule,
      reason: decision.reason,
      timeoutMs: policy.settings().approvalTimeoutSec * 1000,
    }
    const started = Date.now()
    const asked = this.clientElicits ? this.askClient(question, signal) : this.options.askCli(question, signal)
    this.asking.add(asked)
    const answer = await asked.finally(() => this.asking.delete(asked))
    recorder.approval(call.tool, decision.rule, answer, Date.now() - started, origin)
    return answer.outcome === 'approved'
  }

  /** Resolves once every round being asked has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.asking])
  }

  /** elicitation/create on the client, with the exact tool and arguments; cancel and timeout deny. */
  private askClient(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer> {
    const approver = `elicitation:${this.clientName}`
    const request = this.options.requestClient('elicitation/create', elicitation(question), question.requestId)
    return new Promise((resolve) => {
      const settle = (answer: ApprovalAnswer) => {
        clearTimeout(timer)
        request.forget()
        resolve(answer)
      }

      const timer = setTimeout(() => settle({outcome: 'timeout', approver: 'timeout', channel: 'elicitation'}), question.timeoutMs)
      signal.addEventListener('abort', () => settle({outcome: 'cancelled', approver: 'cancelled', channel: 'elicitation'}), {once: true})
      void request.response.then((response) => {
        const result = response.result as {action?: unknown; content?: {approve?: unknown}} | undefined
        if (result?.action === 'accept' && result.content?.approve === true) settle({outcome: 'approved', approver, channel: 'elicitation'})
        else if (result?.action === 'cancel') settle({outcome: 'cancelled', approver, channel: 'elicitation'})
        else settle({outcome: 'denied', approver, channel: 'elicitation'})
      })
    })
  }
}

/** The question as an elicitation: the exact call in words, and one boolean to answer. */
function elicitation(question: ApprovalQuestion): Record<string, unknown> {
  return {
    message: `agentgov: agent "${question.agent}" wants to call ${question.server}.${question.tool} with ${JSON.stringify(question.args)}. ${question.reason}`,
    requestedSchema: {
      type: 'object',
      properties: {approve: {type: 'boolean', title: 'Approve this call?', description: `${question.server}.${question.tool}`}},
      required: ['approve'],
    },
  }
}
