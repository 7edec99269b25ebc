/**
 * OWASP Top 10 for Agentic Applications (2026 edition), official ids and names, with what a tool-call
 * layer can evidence for each and one evidence function per risk. Names and gists follow
 * ../shared/reference/owasp-and-compliance.md exactly; MCP ids are the OWASP MCP Top 10 (beta).
 */
import type {Evidence, RiskResult} from './types.js'
import {chainLine, chainOk, type EvidenceFn, grade, ids, pct} from './grade.js'

export type RiskEntry = Pick<RiskResult, 'canEvidence' | 'gist' | 'id' | 'mcp' | 'name' | 'reach' | 'reachWhy'> & {assess: EvidenceFn}

const policyGap = (e: Evidence) =>
  e.controls.policy.loaded ? [] : [{what: 'no policy loaded' + (e.controls.policy.error ? ` (${e.controls.policy.error})` : ''), recommendation: "Write one with 'agentgov policy init' and pass it with --policy."}]

/** ` (2 tool-result, 1 resource)`: what the answers with findings were, or nothing when there were none. */
const byKind = (counts: Record<string, number>) => {
  const parts = Object.entries(counts).map(([kind, n]) => `${n} ${kind}`)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

const findingsFor = (e: Evidence, id: string) => e.controls.inventory.findingsByRisk[id] ?? 0

export const ASI: RiskEntry[] = [
  {
    id: 'ASI01',
    name: 'Agent Goal Hijack',
    gist: "injected prompts, fake tool outputs or poisoned data redirect the agent's goals",
    canEvidence: 'injection patterns in tool descriptions and results; human approval for high-impact calls',
    reach: 'partial',
    reachWhy: 'The prompt and the model are out of reach: a proxy sees tool descriptions, results and calls, not what the model was told.',
    mcp: ['MCP03', 'MCP06', 'MCP10'],
    assess(e) {
      const {policy} = e.controls
      const t = e.runtime.trust
      const scanning = policy.scanning !== 'off'
      const fired = t.descriptionFindings.count + t.resultFindings.count + e.runtime.approvals.total > 0
      const g = grade({configured: scanning && policy.approvalRules.length > 0, fired, reach: this.reach, subject: 'goal hijack'})
      return {
        ...g,
        controls: [`description and result scanning: ${policy.scanning}`, `${policy.approvalRules.length} approval rule(s) for high-impact calls`],
        evidence: [
          `${t.descriptionFindings.count} tool description(s) and ${t.resultFindings.count} answer(s) from servers with injection findings${byKind(t.resultFindings.byKind)}, ${t.resultBlocks.count} withheld`,
          `${e.runtime.approvals.total} approval(s) recorded`,
        ],
        gaps: [
          ...(scanning ? [] : [{what: 'scanning is off', recommendation: 'Set settings.scanning: block (or warn) in the policy.'}]),
          ...(policy.scanning === 'warn' && t.resultFindings.count > 0 ? [{what: 'results with findings reached the agent (scanning: warn)', recommendation: 'Set settings.scanning: block.'}] : []),
          ...(policy.approvalRules.length === 0 ? [{what: 'no approval rule for high-impact calls', recommendation: 'Add a human_approval rule for write, send and delete tools.'}] : []),
        ],
        examples: ids(t.descriptionFindings, t.resultFindings),
      }
    },
  },
  {
    id: 'ASI02',
    name: 'Tool Misuse and Exploitation',
    gist: 'legitimate tools used unsafely within granted rights; poisoned tool descriptors',
    canEvidence: 'deny by default, allow-lists, parameter conditions, approval for destructive calls, rate budgets, an immutable log of every call',
    reach: 'full',
    reachWhy: 'Every tool call passes the proxy and is decided and recorded there.',
    mcp: ['MCP02', 'MCP03', 'MCP05'],
    assess(e) {
      const {policy} = e.controls
      const r = e.runtime
      const fired = r.denials.total + r.approvals.total > 0
      const broken = chainOk(e) === false
      const g = grade({
        configured: policy.loaded && policy.denyByDefault,
        fired,
        reach: this.reach,
        subject: 'tool misuse',
        weakened: broken ? 'Denials and approvals fired, but the trace chain does not verify: the log is not evidence until it does.' : undefined,
      })
      return {
        ...g,
        controls: [
          policy.denyByDefault ? 'deny by default' : policy.catchAllAllow ? `NOT deny by default (rule ${policy.catchAllAllow} allows every tool)` : 'no policy: nothing is denied by default',
          `${policy.conditionRules} rule(s) with argument conditions`,
          `approval on ${policy.destructiveApprovalTools.length} destructive tool pattern(s)`,
          `${policy.rateLimits} rate limit(s)`,
          `arguments recorded: ${policy.recordArguments}`,
        ],
        evidence: [
          `${r.byKind.decision} decision(s): ${r.byAction.allow} allowed, ${r.denials.total} denied (${pct(r.denials.total, r.byKind.decision)}), ${r.approvalDecisions} sent to a person`,
          `denials by rule: ${Object.entries(r.denials.byRule).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
          chainLine(e),
        ],
        gaps: [
          ...policyGap(e),
          ...(policy.catchAllAllow ? [{what: `rule ${policy.catchAllAllow} allows every tool`, recommendation: 'Replace the catch-all allow with allow-lists per server.'}] : []),
          ...(policy.loaded && policy.destructiveApprovalTools.length === 0 ? [{what: 'no approval rule on destructive tools', recommendation: 'Add a human_approval rule for write_*, delete_* and exec-like tools.'}] : []),
          ...(policy.loaded && policy.rateLimits === 0 ? [{what: 'no rate budget', recommendation: 'Add rate_limit to the policy or to costly tools.'}] : []),
        ],
        examples: ids({count: 0, examples: r.denials.examples}, r.denials.condition),
      }
    },
  },
  {
    id: 'ASI03',
    name: 'Identity and Privilege Abuse',
    gist: 'privilege escalation via delegation, inherited roles, cached credentials, confused deputy',
    canEvidence: 'a distinct agent identity in every decision, per-agent policy, time-boxed grants, secrets found in configs and redacted from what servers return',
    reach: 'full',
    reachWhy: 'Every decision carries the agent identity the proxy was launched or authenticated with, and the policy is chosen by it.',
    mcp: ['MCP01', 'MCP02', 'MCP07'],
    assess(e) {
      const {policy, inventory} = e.controls
      const r = e.runtime
      const agents = Object.keys(r.agents).filter((a) => a !== '')
      const anonymous = r.agents[''] !== undefined
      const g = grade({
        configured: policy.loaded,
        fired: agents.length > 0,
        reach: this.reach,
        subject: 'identity and privilege',
        weakened: anonymous ? 'Some decisions carry no agent identity.' : policy.perAgentPolicies === 0 ? 'Every agent gets the same rights: no per-agent policy.' : undefined,
      })
      return {
        ...g,
        controls: [`${policy.perAgentPolicies} per-agent polic(y/ies) of ${policy.policies}`, 'time-boxed grants (lift approval only, never a deny)', `${inventory.secrets} literal secret(s) found by discovery`],
        evidence: [
          `${agents.length} distinct agent identit(y/ies) in decisions: ${agents.slice(0, 8).join(', ') || 'none'}`,
          `${r.grantsUsed.count} call(s) allowed under a grant`,
          `${r.trust.resultSecrets.secrets} secret(s) leaked by servers in ${r.trust.resultSecrets.count} answer(s), redacted before the agent read them`,
        ],
        gaps: [
          ...policyGap(e),
          ...(policy.loaded && !policy.redactResults ? [{what: 'secrets in what servers return reach the agent (redactResults: false)', recommendation: 'Set settings.redactResults: true.'}] : []),
          ...(inventory.secrets > 0 ? [{what: `${inventory.secrets} literal secret(s) in configs or processes`, recommendation: "Move them to environment references and rotate them (see 'agentgov discover')."}] : []),
          ...(policy.loaded && policy.perAgentPolicies === 0 ? [{what: 'every agent gets the same rights', recommendation: 'Add a policy per agent (agent: cursor, agent: claude-code…) with its own allow-list.'}] : []),
        ],
        examples: ids(r.trust.resultSecrets, r.grantsUsed),
      }
    },
  },
  {
    id: 'ASI04',
    name: 'Agentic Supply Chain Vulnerabilities',
    gist: 'tampered or malicious tools, MCP servers, packages, prompt templates loaded at runtime',
    canEvidence: 'an inventory of every server, unpinned packages, tool-definition pinning and rug-pull alerts, remote servers without TLS',
    reach: 'full',
    reachWhy: 'Discovery sees every configured server and package; the proxy pins every tool definition it forwards.',
    mcp: ['MCP03', 'MCP04', 'MCP09'],
    assess(e) {
      const {policy, inventory} = e.controls
      const t = e.runtime.trust
      const pinning = policy.pinning !== 'off'
      const fired = t.pinChanges.count + t.descriptionFindings.count > 0
      const g = grade({
        configured: pinning,
        fired,
        reach: this.reach,
        subject: 'the supply chain',
        weakened: inventory.source === 'none' ? 'Tool pinning caught changes, but there is no inventory: the configured servers and packages were not checked.' : inventory.unpinnedPackages.length > 0 ? `${inventory.unpinnedPackages.length} server package(s) are not pinned to a version.` : policy.pinning === 'warn' ? 'Changed tools are only warned about (pinning: warn).' : undefined,
      })
      return {
        ...g,
        controls: [`tool pinning: ${policy.pinning}`, inventory.source === 'none' ? 'no inventory' : `inventory: ${inventory.servers} server(s), ${inventory.unpinnedPackages.length} unpinned`],
        evidence: [`${t.pinChanges.tools.length} changed tool definition(s) (possible rug pull)${t.pinChanges.tools.length ? `: ${t.pinChanges.tools.join(', ')} (seen ${t.pinChanges.count} time(s))` : ''}`, `${t.pinBlocks.count} call(s) to a changed tool blocked`, `${findingsFor(e, 'ASI04')} supply-chain finding(s) from discovery`],
        gaps: [
          ...(pinning ? [] : [{what: 'tool pinning is off', recommendation: 'Set settings.pinning: block.'}]),
          ...inventory.unpinnedPackages.map((s) => ({what: `${s} runs an unpinned package`, recommendation: 'Pin the package to an exact version (pkg@1.2.3).'})),
          ...(inventory.source === 'none' ? [{what: 'no inventory', recommendation: "Run 'agentgov discover' (or pass --inventory)."}] : []),
        ],
        examples: ids(t.pinChanges, t.pinBlocks),
      }
    },
  },
  {
    id: 'ASI05',
    name: 'Unexpected Code Execution (RCE)',
    gist: 'agent-generated or agent-run code compromises the host',
    canEvidence: 'deny or approve shell and exec-like tools, argument conditions on commands',
    reach: 'partial',
    reachWhy: 'The execution sandbox itself is out of reach: the proxy can gate an exec tool, not contain what it runs.',
    mcp: ['MCP05'],
    assess(e) {
      const {policy} = e.controls
      const r = e.runtime
      const configured = policy.loaded && (policy.denyByDefault || policy.execRules.length > 0)
      const g = grade({configured, fired: r.execCalls.count > 0, reach: this.reach, subject: 'code execution'})
      return {
        ...g,
        controls: [policy.execRules.length > 0 ? `exec-like tools gated by ${policy.execRules.join(', ')}` : policy.denyByDefault ? 'exec-like tools denied unless allowed (deny by default)' : 'no control on exec-like tools'],
        evidence: [`${r.execCalls.count} call(s) to exec-like tools, ${r.execDenied.count} denied`],
        gaps: [...policyGap(e), ...(r.execCalls.count === 0 ? [] : r.execDenied.count === 0 && policy.execRules.length === 0 ? [{what: 'exec-like tools were called and none was denied or held', recommendation: 'Add a human_approval rule with a condition on the command argument.'}] : [])],
        examples: ids(r.execDenied, r.execCalls),
      }
    },
  },
  {
    id: 'ASI06',
    name: 'Memory & Context Poisoning',
    gist: 'corrupted memory, RAG or shared context across sessions',
    canEvidence: 'scanning tool results that flow back into context, policy on memory-writing tools',
    reach: 'partial',
    reachWhy: 'Memory isolation is out of reach: the proxy sees what tools return, not what the agent keeps across sessions.',
    mcp: ['MCP06', 'MCP10'],
    assess(e) {
      const {policy} = e.controls
      const t = e.runtime.trust
      const g = grade({configured: policy.scanning !== 'off', fired: t.resultFindings.count > 0, reach: this.reach, subject: 'context poisoning through tool results'})
      return {
        ...g,
        controls: [`result scanning: ${policy.scanning}`, `secret redaction in results: ${policy.redactResults ? 'on' : 'off'}`, `${policy.memoryRules.length} rule(s) on memory-writing tools`],
        evidence: [`${t.resultFindings.count} answer(s) from servers with findings${byKind(t.resultFindings.byKind)}, ${t.resultBlocks.count} withheld`],
        gaps: [
          ...(policy.scanning === 'off' ? [{what: 'result scanning is off', recommendation: 'Set settings.scanning: block.'}] : []),
          ...(policy.loaded && policy.memoryRules.length === 0 ? [{what: 'no rule on memory-writing tools', recommendation: 'Add a human_approval or deny rule for memory.* / *_memory tools.'}] : []),
        ],
        examples: ids(t.resultFindings),
      }
    },
  },
  {
    id: 'ASI07',
    name: 'Insecure Inter-Agent Communication',
    gist: 'agent-to-agent messages without authentication, integrity or replay protection',
    canEvidence: 'authenticated proxy endpoints, protocol checks, remote servers over plain HTTP',
    reach: 'partial',
    reachWhy: 'Agent-to-agent channels that do not pass through MCP are out of reach.',
    mcp: ['MCP07'],
    assess(e) {
      const {inventory} = e.controls
      const t = e.runtime.trust
      const fired = t.protocolRefusals.count + t.other.count > 0
      const g = grade({
        // The proxy's protocol checks are always on; the inventory adds the transports.
        configured: true,
        fired,
        reach: this.reach,
        subject: 'agent communication',
        weakened: inventory.source === 'none' ? 'No inventory: remote servers over plain HTTP were not looked for.' : inventory.plainHttp.length > 0 ? `${inventory.plainHttp.length} remote server(s) over plain HTTP.` : undefined,
      })
      return {
        ...g,
        controls: ['protocol checks on every message (malformed and out-of-protocol traffic refused)', inventory.source === 'none' ? 'no inventory' : `${inventory.plainHttp.length} remote server(s) over plain HTTP`],
        evidence: [`${t.protocolRefusals.count} protocol refusal(s)`, `${t.other.count} identity check failure(s)`, `${t.serverRequests.count} server-initiated request(s) seen`],
        gaps: inventory.plainHttp.map((s) => ({what: `${s} is reached over plain HTTP`, recommendation: 'Use https:// or run it locally over stdio.'})),
        examples: ids(t.protocolRefusals, t.other),
      }
    },
  },
  {
    id: 'ASI08',
    name: 'Cascading Failures',
    gist: 'faults amplify across agents: fan-out, loops, retry storms',
    canEvidence: 'rate limits, loop detection, timeouts, tamper-evident timestamped logs bound to agent identities',
    reach: 'full',
    reachWhy: 'Loops and storms of tool calls all pass the proxy.',
    mcp: ['MCP08'],
    assess(e) {
      const {policy} = e.controls
      const l = e.runtime.limits
      const g = grade({
        configured: policy.loaded && (policy.loopDetection || policy.rateLimits > 0),
        fired: l.loop.count + l.rate_limit.count > 0,
        reach: this.reach,
        subject: 'cascading failures',
        weakened: chainOk(e) === false ? 'Limits fired, but the trace chain does not verify.' : undefined,
      })
      return {
        ...g,
        controls: [`loop detection: ${policy.loopDetection ? 'on' : 'off'}`, `${policy.rateLimits} rate limit(s)`, `approval timeout ${policy.approvalTimeoutSec}s`],
        evidence: [`${l.loop.count} loop trip(s), ${l.rate_limit.count} rate-limit trip(s)`, chainLine(e)],
        gaps: [
          ...policyGap(e),
          ...(policy.loaded && !policy.loopDetection ? [{what: 'loop detection is off', recommendation: 'Set settings.loop_detection on.'}] : []),
          ...(policy.loaded && policy.rateLimits === 0 ? [{what: 'no rate limit', recommendation: 'Add rate_limit: {max: 60, per: 1m} to each policy.'}] : []),
        ],
        examples: ids(l.loop, l.rate_limit),
      }
    },
  },
  {
    id: 'ASI09',
    name: 'Human-Agent Trust Exploitation',
    gist: 'humans over-trust the agent, approve what they should not',
    canEvidence: 'approvals that show the exact tool and arguments, outcome and approver recorded, approval fatigue tracked',
    reach: 'full',
    reachWhy: 'Every approval round passes the proxy: the exact call shown, the outcome, the approver and the rate are recorded.',
    mcp: ['MCP06'],
    assess(e) {
      const {policy} = e.controls
      const a = e.runtime.approvals
      const approved = a.byOutcome.approved ?? 0
      const days = Math.max(1, (e.window.to - e.window.from) / 86_400_000)
      const g = grade({configured: policy.approvalRules.length > 0, fired: a.total > 0, reach: this.reach, subject: 'human approval'})
      return {
        ...g,
        controls: [`${policy.approvalRules.length} approval rule(s)${policy.approvalRules.length ? `: ${policy.approvalRules.map((r) => r.id).join(', ')}` : ''}`, `approval timeout ${policy.approvalTimeoutSec}s (then denied)`],
        evidence: [
          `${a.total} approval(s): ${Object.entries(a.byOutcome).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`,
          `approval rate ${pct(approved, a.total)}; ${Math.round((a.total / days) * 10) / 10} request(s) a day`,
          `approvers: ${Object.entries(a.approvers).map(([k, v]) => `${k} (${v})`).join(', ') || 'none'}`,
        ],
        gaps: [
          ...(policy.approvalRules.length === 0 ? [{what: 'no human oversight rule', recommendation: 'Add human_approval rules for destructive tools.'}] : []),
          ...(a.total >= 20 && approved / a.total > 0.95 ? [{what: 'nearly every request is approved (approval fatigue)', recommendation: 'Narrow the approval rules or grant routine calls for a time box.'}] : []),
        ],
        examples: a.examples.slice(0, 3),
      }
    },
  },
  {
    id: 'ASI10',
    name: 'Rogue Agents',
    gist: 'an agent drifts from its intended scope, colludes, self-replicates',
    canEvidence: 'deny by default, kill switch, immutable audit trail, shadow agents and ungoverned servers found by discovery',
    reach: 'full',
    reachWhy: 'Every governed agent can be stopped at the proxy, and discovery finds the ones that are not governed.',
    mcp: ['MCP08', 'MCP09'],
    assess(e) {
      const {policy, inventory} = e.controls
      const r = e.runtime
      const fired = r.limits.kill_switch.count + r.denials.defaultDeny.count + r.denials.hidden.count > 0
      const broken = chainOk(e) === false
      const g = grade({
        configured: policy.loaded && policy.denyByDefault,
        fired,
        reach: this.reach,
        subject: 'rogue agents',
        weakened: inventory.source === 'none' ? 'No inventory: shadow agents and ungoverned servers were not looked for.' : inventory.shadow > 0 ? `${inventory.shadow} shadow server(s) are not governed.` : broken ? 'The trace chain does not verify.' : undefined,
      })
      return {
        ...g,
        controls: [policy.denyByDefault ? 'deny by default' : 'not deny by default', 'kill switch (agentgov kill)', inventory.source === 'none' ? 'no inventory' : `${inventory.governed} governed, ${inventory.shadow} shadow server(s)`],
        evidence: [
          `${r.limits.kill_switch.count} call(s) blocked by the kill switch`,
          `${r.denials.defaultDeny.count} default denial(s), ${r.denials.hidden.count} call(s) to hidden tools`,
          chainLine(e),
        ],
        gaps: [
          ...policyGap(e),
          ...inventory.shadowServers.map((s) => ({what: `shadow server ${s}`, recommendation: "Wrap it with 'agentgov wrap' or list it in the approved inventory."})),
          ...(inventory.source === 'none' ? [{what: 'no inventory', recommendation: "Run 'agentgov discover' (or pass --inventory)."}] : []),
        ],
        examples: ids(r.limits.kill_switch, r.denials.defaultDeny, r.denials.hidden),
      }
    },
  },
]

export function assessAll(e: Evidence): RiskResult[] {
  return ASI.map((entry) => {
    const {assess, ...meta} = entry
    return {...meta, ...assess.call(entry, e)}
  })
}
