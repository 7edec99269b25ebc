import type {ApprovalAnswer, ApprovalQuestion} from '../approvals/types.js'
import {approvesInClient} from '../policy/approve-in-client.js'
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
  /**
   * How the client is connected. Over HTTP (`tcp`) the client is the agent's own code, never a
   * person's screen: its approvals always go to the queue.
   */
  transport: 'pipe' | 'tcp'
  /** Ask a person through the state directory (`agentgov approvals`). */
  askCli(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer>
  /** Send the client a request under a proxy-owned id, on the stream of `relatedRequestId`. */
  requestClient(method: string, params: Record<string, unknown>, relatedRequestId?: JsonRpcId): ClientRequest
}

/**
 * Human approval of a held call. It goes to a person, never back to the agent that asked: in the
 * client (elicitation) only when the client is on stdio, declared elicitation in its one initialize,
 * and the policy names the agent in `approve_in_client` (its client shows elicitations to a person);
 * otherwise through `agentgov approvals`. Every round is recorded; a timeout or cancellation denies.
 */
export class Approver {
  /** What the client said it can do in initialize. */
  private clientElicits = false
  /** Rounds being asked: close waits for them, so a cancelled one is marked and recorded before exit. */
  private readonly asking = new Set<Promise<ApprovalAnswer>>()

  constructor(private readonly options: ApproverOptions) {}

  /**
   * From the client's one initialize: whether it can elicit. Its clientInfo is not read: the person
   * answering is recorded as the one at this agent's client (`elicitation:<agent>`), an identity the
   * person set (`--agent`), never one the client declares.
   */
  client(capabilities: Record<string, unknown> | undefined): void {
    this.clientElicits = typeof capabilities?.elicitation === 'object' && capabilities.elicitation !== null
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
    const asked = this.asksInClient() ? this.askClient(question, signal) : this.options.askCli(question, signal)
    this.asking.add(asked)
    const answer = await asked.finally(() => this.asking.delete(asked))
    recorder.approval(call.tool, decision.rule, answer, Date.now() - started, origin)
    return answer.outcome === 'approved'
  }

  /** Read at each approval, so a policy that stops naming the agent takes effect at once. */
  private asksInClient(): boolean {
    const {transport, policy, agent} = this.options
    return this.clientElicits && transport === 'pipe' && approvesInClient(policy.settings(), agent)
  }

  /** Resolves once every round being asked has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.asking])
  }

  /** elicitation/create on the client, with the exact tool and arguments; cancel and timeout deny. */
  private askClient(question: ApprovalQuestion, signal: AbortSignal): Promise<ApprovalAnswer> {
    const approver = `elicitation:${this.options.agent}`
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

/**
 * How the proxy's own approval questions begin. A server's elicitation never begins so: it is shown
 * under serverLabel (labelServerElicitation), so a server cannot pass for the proxy.
 */
export const OWN_ELICITATION_PREFIX = 'agentgov: '

/** The question as an elicitation: the exact call in words, and one boolean to answer. */
function elicitation(question: ApprovalQuestion): Record<string, unknown> {
  return {
    message: `${OWN_ELICITATION_PREFIX}agent "${question.agent}" wants to call ${question.server}.${question.tool} with ${JSON.stringify(question.args)}. ${question.reason}`,
    requestedSchema: {
      type: 'object',
      properties: {approve: {type: 'boolean', title: 'Approve this call?', description: `${question.server}.${question.tool}`}},
      required: ['approve'],
    },
  }
}

/**
 * A server's elicitation as the client shows it: its message begins with the server's name, in a
 * form the proxy's own questions never take, so "agentgov: agent … wants to call …" from a server
 * reads `[MCP server "fs" asks] agentgov: agent …` and cannot pass for the proxy's approval.
 */
export function labelServerElicitation(server: string, params: Record<string, unknown> | undefined): Record<string, unknown> {
  const message = typeof params?.message === 'string' ? params.message : ''
  return {...params, message: `${serverLabel(server)} ${message}`}
}

export function serverLabel(server: string): string {
  return `[MCP server ${JSON.stringify(server)} asks]`
}
