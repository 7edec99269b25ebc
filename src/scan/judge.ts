import {detectPrompt, detectResource, detectTools, type Finding} from '../detect/index.js'
import {CAPABILITY_LABEL, type Capability} from './capabilities.js'
import type {Listing} from './list.js'
import type {ScanFinding, ScannedServer} from './types.js'

interface ClientView {
  client: string
  name: string
  servers: ScannedServer[]
}

/**
 * Everything one client (agent) can reach, judged together: each definition with the detector the
 * proxy uses (the other servers' tools as context, so cross-server references and typosquats are
 * seen), tools that shadow another server's, pins that changed, and toxic flows across servers.
 */
export function judgeClient(view: ClientView, listings: ReadonlyMap<string, Listing>): ScanFinding[] {
  const findings: ScanFinding[] = []
  const listed = view.servers.filter((s) => s.status === 'ok')
  for (const server of listed) {
    const otherTools = listed.filter((s) => s !== server).flatMap((s) => s.tools.map((t) => ({server: s.name, tool: t.name})))
    const raw = listings.get(server.id) ?? {tools: [], prompts: [], resources: [], resourceTemplates: []}
    const ownTools = server.tools.map((t) => t.name)
    const at = (type: NonNullable<ScanFinding['subject']>['type'], name: string) => (finding: Finding) => definitionFinding(view.client, server, {type, name}, finding)
    for (const {tool, findings: found} of detectTools(raw.tools, {otherTools})) findings.push(...found.map(at('tool', tool)))
    for (const prompt of raw.prompts) findings.push(...detectPrompt(prompt, {ownTools, otherTools}).map(at('prompt', String(prompt.name))))
    for (const resource of raw.resources) findings.push(...detectResource(resource, {ownTools, otherTools}).map(at('resource', String(resource.uri ?? resource.name))))
    for (const template of raw.resourceTemplates) findings.push(...detectResource(template, {ownTools, otherTools}).map(at('resource-template', String(template.uriTemplate ?? template.name))))
    for (const tool of server.tools) {
      if (tool.pin !== 'changed') continue
      findings.push({
        kind: 'rug-pull',
        severity: 'high',
        client: view.client,
        server: server.id,
        serverName: server.name,
        subject: {type: 'tool', name: tool.name},
        message: `The definition of ${tool.name} differs from the one pinned earlier; the proxy hides or flags it until a person runs 'agentgov pins accept ${server.name} ${tool.name}'.`,
      })
    }
  }

  findings.push(...sameNames(view.client, listed), ...toxicFlow(view, listed))
  return findings
}

function definitionFinding(client: string, server: ScannedServer, subject: NonNullable<ScanFinding['subject']>, finding: Finding): ScanFinding {
  return {
    kind: finding.technique === 'cross-server' ? 'shadowing' : 'definition',
    severity: finding.severity,
    client,
    server: server.id,
    serverName: server.name,
    subject,
    message: finding.message,
    technique: finding.technique,
    rule: finding.rule,
    field: finding.field,
    start: finding.start,
    end: finding.end,
    excerpt: finding.excerpt,
  }
}

/** Two servers of one agent with a tool of the same name: the model cannot tell which one it calls. */
function sameNames(client: string, servers: readonly ScannedServer[]): ScanFinding[] {
  const owners = new Map<string, ScannedServer[]>()
  for (const server of servers) for (const tool of server.tools) owners.set(tool.name, [...(owners.get(tool.name) ?? []), server])
  return [...owners]
    .filter(([, list]) => new Set(list.map((s) => s.id)).size > 1)
    .map(([tool, list]) => ({
      kind: 'shadowing' as const,
      severity: 'medium' as const,
      client,
      server: list[1].id,
      serverName: list[1].name,
      subject: {type: 'tool' as const, name: tool},
      message: `${list.map((s) => s.name).join(' and ')} both offer a tool named ${tool}: one shadows the other, and the model cannot tell which it calls.`,
    }))
}

const ORDER: readonly Capability[] = ['untrusted-input', 'private-data', 'public-sink']
const CANDIDATES = 40

/**
 * The lethal trifecta for one agent: a tool that brings untrusted content in, one that reads
 * private data and one that sends data out. One finding per agent names the three tools that
 * span the most servers (a flow across servers is the one no single server's review catches).
 */
function toxicFlow(view: ClientView, servers: readonly ScannedServer[]): ScanFinding[] {
  const holders = ORDER.map((capability) =>
    servers.flatMap((server) => server.tools.flatMap((tool) => tool.capabilities.filter((c) => c.capability === capability).map((c) => ({server, tool: tool.name, why: c.why})))).slice(0, CANDIDATES),
  )
  if (holders.some((list) => list.length === 0)) return []
  let best: [number, (typeof holders)[number][number][]] = [0, []]
  for (const a of holders[0]) {
    for (const b of holders[1]) {
      for (const c of holders[2]) {
        if (a.tool === b.tool && a.server === b.server && b.tool === c.tool && b.server === c.server) continue
        const spread = new Set([a.server.id, b.server.id, c.server.id]).size
        if (spread > best[0]) best = [spread, [a, b, c]]
      }
    }
  }

  if (best[0] === 0) return []
  const flow = best[1].map((step, i) => ({capability: ORDER[i], server: step.server.id, serverName: step.server.name, tool: step.tool, why: step.why}))
  const named = flow.map((step) => `${step.serverName}.${step.tool} (${CAPABILITY_LABEL[step.capability]})`)
  return [
    {
      kind: 'toxic-flow',
      severity: 'high',
      client: view.client,
      message: `${view.name} can chain ${named.join(', ')}: content from the first can instruct the agent to read private data with the second and send it out with the third.`,
      flow,
    },
  ]
}
