/**
 * Evidence rows: the facts compliance clauses cite. Each row names its source (a policy setting, a
 * discovery finding, a trace count) and whether it was observed in the window, is only configured,
 * or is missing.
 */
import type {Evidence, EvidenceRow} from './types.js'
import {SIX_MONTHS_DAYS} from '../src/telemetry/retention.js'
import {chainLine, chainOk} from './grade.js'

type RowFn = (e: Evidence) => Omit<EvidenceRow, 'id' | 'label' | 'source'>

interface RowEntry {
  label: string
  source: EvidenceRow['source']
  row: RowFn
}

export const ROWS: Record<string, RowEntry> = {
  'decisions-recorded': {
    label: 'every tool call decided and recorded',
    source: 'trace',
    row: (e) => (e.runtime.byKind.decision > 0 ? {state: 'observed', detail: `${e.runtime.byKind.decision} decision(s) by ${Object.keys(e.runtime.agents).length} agent(s) in the window`} : {state: 'missing', detail: 'no decision recorded in the window'}),
  },
  'chain-verified': {
    label: 'tamper-evident log (hash chain verified)',
    source: 'trace',
    row: (e) => {
      const ok = chainOk(e)
      return {state: ok ? 'observed' : 'missing', detail: chainLine(e)}
    },
  },
  'retention-six-months': {
    label: 'logs kept at least six months',
    source: 'policy',
    row: (e) => {
      const {days, source} = e.controls.retention
      return days >= SIX_MONTHS_DAYS ? {state: 'configured', detail: `retention ${days} days (${source})`} : {state: 'missing', detail: `retention ${days} days (${source}): under six months`}
    },
  },
  'policy-enforced': {
    label: 'written policy, deny by default',
    source: 'policy',
    row: (e) => {
      const p = e.controls.policy
      if (!p.loaded) return {state: 'missing', detail: `no policy${p.error ? `: ${p.error}` : ''}`}
      if (!p.denyByDefault) return {state: 'missing', detail: `rule ${p.catchAllAllow} allows every tool`}
      return e.runtime.denials.total > 0 ? {state: 'observed', detail: `${p.rules} rule(s), deny by default; ${e.runtime.denials.total} denial(s) in the window`} : {state: 'configured', detail: `${p.rules} rule(s), deny by default; never fired in the window`}
    },
  },
  'human-oversight': {
    label: 'human approval on high-impact calls',
    source: 'trace',
    row: (e) => {
      const p = e.controls.policy
      const a = e.runtime.approvals
      if (a.total > 0) return {state: 'observed', detail: `${a.total} approval round(s), approvers: ${Object.keys(a.approvers).join(', ') || 'none recorded'}`}
      return p.approvalRules.length > 0 ? {state: 'configured', detail: `${p.approvalRules.length} approval rule(s); no human oversight recorded in the window`} : {state: 'missing', detail: 'no approval rule and no human oversight recorded'}
    },
  },
  'stop-control': {
    label: 'stop an agent (kill switch) and limits',
    source: 'trace',
    row: (e) => {
      const l = e.runtime.limits
      const used = l.kill_switch.count + l.loop.count + l.rate_limit.count
      return used > 0 ? {state: 'observed', detail: `kill switch ${l.kill_switch.count}, loop ${l.loop.count}, rate limit ${l.rate_limit.count} trip(s)`} : {state: 'configured', detail: 'kill switch available (agentgov kill); never used in the window'}
    },
  },
  'inventory': {
    label: 'inventory of agents and MCP servers',
    source: 'discovery',
    row: (e) => {
      const i = e.controls.inventory
      return i.source === 'none' ? {state: 'missing', detail: `no inventory${i.error ? `: ${i.error}` : ''}`} : {state: 'observed', detail: `${i.servers} server(s): ${i.governed} governed, ${i.approved} approved, ${i.shadow} shadow (${i.source === 'file' ? i.path : 'fresh scan'})`}
    },
  },
  'no-shadow': {
    label: 'no ungoverned (shadow) servers',
    source: 'discovery',
    row: (e) => {
      const i = e.controls.inventory
      if (i.source === 'none') return {state: 'missing', detail: 'no inventory'}
      return i.shadow === 0 ? {state: 'observed', detail: 'no shadow server'} : {state: 'missing', detail: `${i.shadow} shadow server(s): ${i.shadowServers.slice(0, 5).join(', ')}`}
    },
  },
  'supplier-integrity': {
    label: 'tool definitions pinned, packages pinned',
    source: 'trace',
    row: (e) => {
      const p = e.controls.policy
      const i = e.controls.inventory
      const t = e.runtime.trust
      if (p.pinning === 'off') return {state: 'missing', detail: 'tool pinning is off'}
      if (i.source === 'none') return {state: 'missing', detail: 'no inventory: server packages were not checked'}
      if (i.unpinnedPackages.length > 0) return {state: 'missing', detail: `${i.unpinnedPackages.length} unpinned package(s): ${i.unpinnedPackages.slice(0, 5).join(', ')}`}
      return t.pinChanges.count > 0 ? {state: 'observed', detail: `${t.pinChanges.tools.length} changed tool definition(s) caught (${t.pinBlocks.count} call(s) blocked)`} : {state: 'configured', detail: `pinning: ${p.pinning}; no change caught in the window`}
    },
  },
  'content-scanning': {
    label: 'tool descriptions and results scanned',
    source: 'trace',
    row: (e) => {
      const p = e.controls.policy
      const t = e.runtime.trust
      if (p.scanning === 'off') return {state: 'missing', detail: 'scanning is off'}
      const n = t.descriptionFindings.count + t.resultFindings.count
      return n > 0 ? {state: 'observed', detail: `${n} finding(s) (${t.descriptionFindings.count} description, ${t.resultFindings.count} result)`} : {state: 'configured', detail: `scanning: ${p.scanning}; no finding in the window`}
    },
  },
  'protocol-checks': {
    label: 'malformed or out-of-protocol messages refused',
    source: 'trace',
    row: (e) => {
      const n = e.runtime.trust.protocolRefusals.count
      return n > 0 ? {state: 'observed', detail: `${n} refusal(s)`} : {state: 'configured', detail: 'protocol checks on; none refused in the window'}
    },
  },
  'agent-identity': {
    label: 'a distinct identity on every decision',
    source: 'trace',
    row: (e) => {
      const agents = Object.keys(e.runtime.agents)
      if (agents.length === 0) return {state: 'missing', detail: 'no decision recorded'}
      if (agents.includes('')) return {state: 'missing', detail: 'some decisions carry no agent identity'}
      return {state: 'observed', detail: `${agents.length} agent identit(y/ies): ${agents.slice(0, 6).join(', ')}`}
    },
  },
  'least-privilege': {
    label: 'least privilege (per-agent allow-lists, conditions)',
    source: 'policy',
    row: (e) => {
      const p = e.controls.policy
      if (!p.loaded || !p.denyByDefault) return {state: 'missing', detail: p.loaded ? 'not deny by default' : 'no policy'}
      const detail = `${p.perAgentPolicies} per-agent polic(y/ies), ${p.conditionRules} condition rule(s)`
      return e.runtime.denials.condition.count + e.runtime.denials.hidden.count > 0 ? {state: 'observed', detail: `${detail}; ${e.runtime.denials.condition.count} condition and ${e.runtime.denials.hidden.count} hidden-tool denial(s)`} : {state: 'configured', detail}
    },
  },
  'no-plain-secrets': {
    label: 'no literal secrets in configs',
    source: 'discovery',
    row: (e) => {
      const i = e.controls.inventory
      if (i.source === 'none') return {state: 'missing', detail: 'no inventory'}
      return i.secrets === 0 ? {state: 'observed', detail: 'no literal secret found'} : {state: 'missing', detail: `${i.secrets} literal secret(s) found`}
    },
  },
  'tls': {
    label: 'remote servers over TLS',
    source: 'discovery',
    row: (e) => {
      const i = e.controls.inventory
      if (i.source === 'none') return {state: 'missing', detail: 'no inventory'}
      return i.plainHttp.length === 0 ? {state: 'observed', detail: 'no remote server over plain HTTP'} : {state: 'missing', detail: `${i.plainHttp.length} over plain HTTP: ${i.plainHttp.join(', ')}`}
    },
  },
}

export function row(id: string, e: Evidence): EvidenceRow {
  const entry = ROWS[id]
  if (!entry) throw new Error(`unknown evidence row ${id}`)
  return {id, label: entry.label, source: entry.source, ...entry.row(e)}
}
