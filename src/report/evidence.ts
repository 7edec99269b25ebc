import type {Action} from '../policy/types.js'
import {type DecisionRecord, RULE, type Subject} from '../telemetry/record.js'
import type {AgentFigures, ChainResult, Counter, RuntimeEvidence, TimeBucket, Window} from '../../reports/types.js'

const EXAMPLES = 3
const BUCKETS = 30
/** Distinct agents and rules are caller-controlled names: bound the tables so memory stays flat. */
const MAX_KEYS = 1000
const OVERFLOW = '(other)'

/** Tool names that run code on the host: what ASI05 asks about. */
export const EXEC_TOOL = /(^|[._-])(exec|execute|shell|bash|sh|run|run_command|command|terminal|eval|spawn|python|script)([._-]|$)/i

function counter(): Counter {
  return {count: 0, examples: []}
}

function hit(c: Counter, id: string | undefined): void {
  c.count++
  if (id && c.examples.length < EXAMPLES) c.examples.push(id)
}

function bump(table: Record<string, number>, key: string, by = 1): void {
  if (!(key in table) && Object.keys(table).length >= MAX_KEYS) key = OVERFLOW
  table[key] = (table[key] ?? 0) + by
}

/**
 * Accumulates the runtime evidence one record at a time: nothing is kept per record, so a report over
 * millions of records runs in the memory of its counters.
 */
export class EvidenceBuilder {
  private readonly r: RuntimeEvidence
  private agentCount = 0

  constructor(private readonly window: Window) {
    const span = Math.max(1, window.to - window.from)
    const bucketMs = Math.max(60_000, Math.ceil(span / BUCKETS / 60_000) * 60_000)
    const buckets: TimeBucket[] = []
    for (let start = window.from; start < window.to; start += bucketMs) buckets.push({start, allow: 0, audit: 0, deny: 0, human_approval: 0})
    this.r = {
      records: 0,
      byKind: {decision: 0, approval: 0, trust: 0},
      byAction: {allow: 0, audit: 0, deny: 0, human_approval: 0},
      byStage: {},
      agents: {},
      rules: {},
      denials: {total: 0, byRule: {}, defaultDeny: counter(), hidden: counter(), condition: counter(), examples: []},
      approvals: {total: 0, byOutcome: {}, approvers: {}, channels: {}, waitedMsMax: 0, examples: []},
      approvalDecisions: 0,
      grantsUsed: counter(),
      trust: {
        pinChanges: {...counter(), tools: []},
        pinBlocks: counter(),
        descriptionFindings: counter(),
        resultFindings: {...counter(), byKind: {}},
        resultBlocks: counter(),
        resultSecrets: {...counter(), secrets: 0},
        protocolRefusals: counter(),
        serverRequests: counter(),
        other: counter(),
      },
      limits: {rate_limit: counter(), loop: counter(), kill_switch: counter()},
      argsRecorded: 0,
      execCalls: counter(),
      execDenied: counter(),
      timeline: {bucketMs, buckets},
      chain: [],
    }
  }

  add(record: DecisionRecord, id: string | undefined): void {
    const r = this.r
    r.records++
    if (r.firstTime === undefined || record.time < r.firstTime) r.firstTime = record.time
    if (r.lastTime === undefined || record.time > r.lastTime) r.lastTime = record.time
    if (record.kind === 'decision') this.decision(record, id)
    else if (record.kind === 'approval') this.approval(record, id)
    else if (record.kind === 'trust') this.trust(record, id)
  }

  addChain(result: ChainResult): void {
    this.r.chain.push(result)
  }

  finish(): RuntimeEvidence {
    return this.r
  }

  private agent(name: string): AgentFigures {
    let figures = this.r.agents[name]
    if (!figures) {
      if (this.agentCount >= MAX_KEYS) return (this.r.agents[OVERFLOW] ??= {decisions: 0, allowed: 0, denied: 0, approvals: 0, audited: 0})
      this.agentCount++
      figures = this.r.agents[name] = {decisions: 0, allowed: 0, denied: 0, approvals: 0, audited: 0}
    }

    return figures
  }

  private bucket(time: number, action: Action): void {
    const {bucketMs, buckets} = this.r.timeline
    const i = Math.floor((time - this.window.from) / bucketMs)
    if (i >= 0 && i < buckets.length) buckets[i][action]++
  }

  private decision(d: DecisionRecord, id: string | undefined): void {
    const r = this.r
    const action = d.action && d.action in r.byAction ? d.action : undefined
    r.byKind.decision++
    if (!action) return
    r.byAction[action]++
    bump(r.byStage, d.stage ?? 'unknown')
    const hidden = d.hidden === true
    const rule = d.rule ?? (hidden ? '(hidden)' : d.limit ? `(${d.limit})` : '(default)')
    bump(r.rules, rule)
    this.bucket(d.time, action)
    const agent = this.agent(d.agent)
    agent.decisions++
    if (d.args !== undefined) r.argsRecorded++
    if (d.grant) hit(r.grantsUsed, id)
    const exec = d.stage === 'pre_tool' && d.tool !== undefined && EXEC_TOOL.test(d.tool)
    if (exec) hit(r.execCalls, id)

    if (d.limit === 'kill_switch' || d.limit === 'loop' || d.limit === 'rate_limit') hit(r.limits[d.limit], id)
    // A decision on what came back names it (returned); records before that field were post_tool only.
    const returned = d.returned ?? (d.stage === 'post_tool' ? 'tool-result' : undefined)
    if (returned && d.findings && d.findings.length > 0) {
      hit(r.trust.resultFindings, id)
      bump(r.trust.resultFindings.byKind, returned)
      if (action === 'deny') hit(r.trust.resultBlocks, id)
    }

    if (returned && typeof d.redacted === 'number' && d.redacted > 0) {
      hit(r.trust.resultSecrets, id)
      r.trust.resultSecrets.secrets += d.redacted
    }

    if (d.rule === RULE.toolPinning) hit(r.trust.pinBlocks, id)

    if (action === 'allow') agent.allowed++
    else if (action === 'audit') agent.audited++
    else if (action === 'human_approval') {
      agent.approvals++
      r.approvalDecisions++
    } else {
      agent.denied++
      r.denials.total++
      bump(r.denials.byRule, rule)
      if (r.denials.examples.length < EXAMPLES && id) r.denials.examples.push(id)
      if (exec) hit(r.execDenied, id)
      if (hidden) hit(r.denials.hidden, id)
      else if (d.rule == null && !d.limit) hit(r.denials.defaultDeny, id)
      if (d.condition) hit(r.denials.condition, id)
    }
  }

  private approval(record: DecisionRecord, id: string | undefined): void {
    const a = this.r.approvals
    this.r.byKind.approval++
    if (!record.approval) return
    a.total++
    bump(a.byOutcome, record.approval.outcome ?? 'unknown')
    if (record.approval.approver) bump(a.approvers, record.approval.approver)
    if (record.approval.channel) bump(a.channels, record.approval.channel)
    a.waitedMsMax = Math.max(a.waitedMsMax, record.approval.waitedMs ?? 0)
    if (id && a.examples.length < EXAMPLES) a.examples.push(id)
  }

  private trust(record: DecisionRecord, id: string | undefined): void {
    const t = this.r.trust
    this.r.byKind.trust++
    const subject: Subject = record.trust?.subject ?? {kind: 'other', name: ''}
    // OTLP spans carry no result attribute: a pin or scan subject is only ever recorded as a failure.
    if (record.trust?.ok === true && subject.kind !== 'server-request') return
    switch (subject.kind) {
      case 'tool-pin': {
        hit(t.pinChanges, id)
        // OTLP trust spans carry no server name.
        const tool = record.server ? `${record.server}.${subject.name}` : subject.name
        if (!t.pinChanges.tools.includes(tool) && t.pinChanges.tools.length < 50) t.pinChanges.tools.push(tool)
        break
      }

      case 'tool-description':
      case 'prompt-description':
      case 'resource-description': {
        hit(t.descriptionFindings, id)
        break
      }

      case 'message': {
        hit(t.protocolRefusals, id)
        break
      }

      case 'server-request': {
        hit(t.serverRequests, id)
        break
      }

      default: {
        hit(t.other, id)
      }
    }
  }
}
