import {readFileSync} from 'node:fs'

import type {Inventory} from '../discovery/types.js'
import type {CompiledPolicy, PolicySettings} from '../policy/index.js'
import {DEFAULT_SETTINGS} from '../policy/index.js'
import {DEFAULT_RETENTION_DAYS} from '../telemetry/retention.js'
import {EXEC_TOOL} from './evidence.js'
import type {InventoryControls, PolicyControls} from '../../reports/types.js'

const DESTRUCTIVE = /(write|edit|delete|remove|rm|move|rename|create|update|push|merge|drop|exec|run|shell|send|post|put|patch|kill|deploy|\*)/i
const MEMORY = /(memory|remember|store|save|upsert|index|embed|note|knowledge)/i

/** What the policy enforces, read from its compiled form (never from the proxy's runtime). */
export function policyControls(policy: CompiledPolicy | undefined, problem?: {file: string; error: string}): PolicyControls {
  if (!policy) {
    return {
      loaded: false,
      ...(problem ?? {}),
      denyByDefault: false,
      rules: 0,
      policies: 0,
      perAgentPolicies: 0,
      approvalRules: [],
      destructiveApprovalTools: [],
      denyRules: 0,
      conditionRules: 0,
      rateLimits: 0,
      execRules: [],
      memoryRules: [],
      ...settingsControls(DEFAULT_SETTINGS),
    }
  }

  const rules = policy.rules.map((r) => r.ast)
  const catchAll = rules.find((r) => r.action === 'allow' && !r.when && r.tools.some((t) => t.server === '*' && t.tool === '*'))
  const approvalRules = rules.filter((r) => r.action === 'human_approval').map((r) => ({id: r.id, tools: r.tools.map((t) => t.source)}))
  const gated = rules.filter((r) => r.action === 'human_approval' || r.action === 'deny')
  return {
    loaded: true,
    file: policy.file,
    denyByDefault: !catchAll,
    ...(catchAll ? {catchAllAllow: catchAll.id} : {}),
    rules: rules.length,
    policies: policy.policies.length,
    perAgentPolicies: policy.policies.filter((p) => p.ast.agent !== '*').length,
    approvalRules,
    destructiveApprovalTools: [...new Set(approvalRules.flatMap((r) => r.tools).filter((t) => DESTRUCTIVE.test(t)))],
    denyRules: rules.filter((r) => r.action === 'deny').length,
    conditionRules: rules.filter((r) => r.when).length,
    rateLimits: rules.filter((r) => r.rateLimit).length + policy.policies.filter((p) => p.ast.rateLimit).length,
    execRules: gated.filter((r) => r.tools.some((t) => EXEC_TOOL.test(t.tool) || t.tool === '*')).map((r) => r.id),
    memoryRules: rules.filter((r) => r.action !== 'allow' && r.tools.some((t) => MEMORY.test(t.tool))).map((r) => r.id),
    ...settingsControls(policy.settings),
  }
}

function settingsControls(s: PolicySettings): Pick<PolicyControls, 'approvalTimeoutSec' | 'loopDetection' | 'pinning' | 'recordArguments' | 'redactResults' | 'scanning'> {
  return {pinning: s.pinning, scanning: s.scanning, loopDetection: s.loop.enabled, recordArguments: s.recordArguments, redactResults: s.redactResults, approvalTimeoutSec: s.approvalTimeoutSec}
}

export function emptyInventoryControls(source: InventoryControls['source'], extra: {path?: string; error?: string} = {}): InventoryControls {
  return {source, ...extra, agents: 0, servers: 0, governed: 0, approved: 0, shadow: 0, shadowServers: [], unpinnedPackages: [], plainHttp: [], secrets: 0, findingsByRisk: {}, findingsByRule: {}}
}

export function inventoryControls(inventory: Inventory, source: 'file' | 'fresh', path?: string): InventoryControls {
  const names = (ids: Array<string | undefined>) => {
    const byId = new Map(inventory.servers.map((s) => [s.id, `${s.name} (${s.client})`]))
    return [...new Set(ids.map((id) => (id && byId.get(id)) || id || '?'))]
  }

  const findings = inventory.findings
  const of = (rule: string) => findings.filter((f) => f.rule === rule)
  const byRisk: Record<string, number> = {}
  const byRule: Record<string, number> = {}
  for (const f of findings) {
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1
    for (const id of f.asi) byRisk[id] = (byRisk[id] ?? 0) + 1
  }

  return {
    source,
    ...(path ? {path} : {}),
    generatedAt: inventory.generatedAt,
    agents: inventory.summary.agents,
    servers: inventory.summary.servers,
    governed: inventory.summary.governed,
    approved: inventory.summary.approved,
    shadow: inventory.summary.shadow,
    shadowServers: [...new Set(inventory.servers.filter((s) => s.governance === 'shadow').map((s) => `${s.name} (${s.client})`))],
    unpinnedPackages: names(of('unpinned-package').map((f) => f.subject)),
    plainHttp: names(of('plain-http-remote').map((f) => f.subject)),
    secrets: of('secret-in-config').length + of('secret-in-process').length + of('provider-key-in-env-file').length,
    findingsByRisk: byRisk,
    findingsByRule: byRule,
  }
}

/** A saved `agentgov discover --json`; a file that is not one is reported, not fatal. */
export function readInventoryFile(path: string): InventoryControls {
  try {
    const inventory = JSON.parse(readFileSync(path, 'utf8')) as Inventory
    if (!Array.isArray(inventory.servers) || !Array.isArray(inventory.findings) || !inventory.summary) throw new Error('it is not an agentgov inventory (agentgov discover --json)')
    return inventoryControls(inventory, 'file', path)
  } catch (error) {
    return emptyInventoryControls('none', {path, error: (error as Error).message})
  }
}

export function retentionOf(env: NodeJS.ProcessEnv): {days: number; source: string} {
  const days = Number(env.AGENTGOV_TRACE_RETENTION_DAYS)
  if (days > 0) return {days, source: 'AGENTGOV_TRACE_RETENTION_DAYS'}
  return {days: DEFAULT_RETENTION_DAYS, source: 'default'}
}
