import {copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {McpError} from '@modelcontextprotocol/sdk/types.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/report/index.js'
import {connectThroughProxy} from '../helpers/mcp.js'
import {filesystemPolicy} from '../helpers/policies.js'
import {runCli, tempDir} from '../helpers/tree.js'

const dir = tempDir('agentgov-report-')
const root = join(dir.path, 'root')
const state = join(dir.path, 'state')
const env = {AGENTGOV_HOME: state, HOME: state}
const policyFile = join(state, 'policy.yaml')
const inventoryFile = join(dir.path, 'inventory.json')

const policy = filesystemPolicy(root, {pinning: 'block'})

/** The real proxy in front of the real filesystem server, driven through a scenario that touches every control. */
async function runScenario(): Promise<void> {
  mkdirSync(join(root, 'public'), {recursive: true})
  mkdirSync(join(root, 'secret'), {recursive: true})
  writeFileSync(join(root, 'public', 'a.txt'), 'a\n')
  writeFileSync(join(root, 'secret', 'key.txt'), 'k\n')
  const connect = (agent: string) => connectThroughProxy({stateDir: state, policy, server: 'filesystem', serverName: 'fs', serverArgs: [root], agent})

  let c = await connect('test-agent')
  await c.client.listTools()
  for (let i = 0; i < 2; i++) await c.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'public', 'a.txt')}})
  expect((await c.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'secret', 'key.txt')}})).isError).toBe(true)
  expect(await c.client.callTool({name: 'create_directory', arguments: {path: join(root, 'x')}}).catch((e: unknown) => e)).toBeInstanceOf(McpError)
  // Nobody answers: the approval times out after 1 s and counts as denied.
  expect((await c.client.callTool({name: 'write_file', arguments: {path: join(root, 'public', 'w.txt'), content: 'w'}})).isError).toBe(true)
  await c.close()

  const pinFile = join(state, 'pins', 'fs.json')
  const pins = JSON.parse(readFileSync(pinFile, 'utf8'))
  pins.tools.read_text_file.hash = '0'.repeat(64)
  writeFileSync(pinFile, JSON.stringify(pins))
  c = await connect('test-agent')
  await c.client.listTools()
  expect((await c.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'public', 'a.txt')}})).isError).toBe(true)
  await c.close()

  c = await connect('cursor')
  expect((await c.client.callTool({name: 'list_directory', arguments: {path: join(root, 'public')}})).isError).toBeFalsy()
  expect((await runCli(['kill', '--agent', 'cursor'], env)).code).toBe(0)
  await new Promise((resolve) => setTimeout(resolve, 1100))
  expect((await c.client.callTool({name: 'list_directory', arguments: {path: join(root, 'public')}})).isError).toBe(true)
  await c.close()
  // Let the proxies' deferred store flush and seal land.
  await new Promise((resolve) => setTimeout(resolve, 300))

  const inventory = await runCli(['discover', '--json', '--no-processes'], env)
  expect(inventory.code).toBe(0)
  writeFileSync(inventoryFile, inventory.stdout)
}

async function report(args: string[]): Promise<Report> {
  const window = args.includes('--from') ? [] : ['--since', '1d']
  const result = await runCli(['report', '--owasp', '--compliance', 'all', '--format', 'json', ...window, ...args], env)
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as Report
}

const risk = (r: Report, id: string) => r.owasp!.find((x) => x.id === id)!
const clause = (r: Report, framework: string, id: string) => r.compliance!.find((f) => f.id === framework)!.clauses.find((c) => c.clause === id)!

describe('agentgov report over traces of real proxies', () => {
  let store: Report
  beforeAll(async () => {
    await runScenario()
    store = await report(['--policy', policyFile, '--inventory', inventoryFile])
  }, 90_000)
  afterAll(() => dir.cleanup())

  it('states the window, the sources and their counts, and the version', () => {
    expect(store.schema).toBe('agentgov.report/v1')
    expect(store.agentgov).toMatch(/^\d+\.\d+\.\d+/)
    expect(Date.parse(store.window.to) - Date.parse(store.window.from)).toBe(86_400_000)
    expect(store.sources).toEqual([{kind: 'store', path: join(state, 'traces'), records: store.summary.records, unreadable: 0}])
    expect(store.evidence.runtime.chain[0]).toMatchObject({ok: true, records: store.summary.records})
  })

  it('counts what the proxies decided: rules, limits, approvals, pins, agents', () => {
    const r = store.evidence.runtime
    expect(r.denials.byRule).toEqual({'no-secrets': 1, '(hidden)': 1, 'tool-pinning': 1, '(kill_switch)': 1})
    expect(r.denials.byRule['no-secrets']).toBe(1)
    expect(r.denials.byRule['(hidden)']).toBe(1)
    expect(r.denials.byRule['tool-pinning']).toBe(1)
    expect(r.denials.byRule['(kill_switch)']).toBe(1)
    expect(r.denials.total).toBe(4)
    expect(r.rules.reads).toBe(3)
    expect(r.approvalDecisions).toBe(1)
    expect(r.approvals.byOutcome).toEqual({timeout: 1})
    expect(r.limits.kill_switch.count).toBe(1)
    expect(r.limits.kill_switch.examples[0]).toMatch(/^[^:]+:\d+$/)
    expect(r.trust.pinChanges.tools).toEqual(['fs.read_text_file'])
    expect(r.trust.pinBlocks.count).toBe(1)
    expect(Object.keys(r.agents).sort()).toEqual(['cursor', 'test-agent'])
    expect(r.agents.cursor).toMatchObject({decisions: 2, allowed: 1, denied: 1})
    expect(store.evidence.controls.policy).toMatchObject({loaded: true, denyByDefault: true, approvalRules: [{id: 'writes-need-a-person', tools: ['fs.write_file']}], destructiveApprovalTools: ['fs.write_file'], pinning: 'block', loopDetection: true})
  })

  it('grades each risk from that evidence, never covered without it', () => {
    const statuses = Object.fromEntries(store.owasp!.map((x) => [x.id, x.status]))
    expect(statuses).toEqual({
      ASI01: 'partial',
      ASI02: 'covered',
      ASI03: 'partial',
      ASI04: 'covered',
      ASI05: 'partial',
      ASI06: 'partial',
      ASI07: 'partial',
      ASI08: 'partial',
      ASI09: 'covered',
      ASI10: 'covered',
    })
    expect(risk(store, 'ASI01').why).toMatch(/beyond a tool-call layer/)
    expect(risk(store, 'ASI08').why).toMatch(/never fired/)
    expect(risk(store, 'ASI06').why).toMatch(/never fired/)
    expect(risk(store, 'ASI04').evidence[0]).toMatch(/^1 changed tool definition\(s\) \(possible rug pull\): fs\.read_text_file \(seen \d+ time\(s\)\)$/)
    expect(risk(store, 'ASI10').evidence[0]).toBe('1 call(s) blocked by the kill switch')
    expect(risk(store, 'ASI09').evidence[0]).toBe('1 approval(s): 1 timeout')
    expect(risk(store, 'ASI02').gaps.map((g) => g.what)).toContain('no rate budget')
    expect(store.owasp!.map((x) => x.name)).toEqual([
      'Agent Goal Hijack',
      'Tool Misuse and Exploitation',
      'Identity and Privilege Abuse',
      'Agentic Supply Chain Vulnerabilities',
      'Unexpected Code Execution (RCE)',
      'Memory & Context Poisoning',
      'Insecure Inter-Agent Communication',
      'Cascading Failures',
      'Human-Agent Trust Exploitation',
      'Rogue Agents',
    ])
  })

  it('maps clauses to evidence rows and says what is missing', () => {
    expect(store.compliance!.map((f) => f.id)).toEqual(['eu-ai-act', 'nist-ai-rmf', 'iso-42001', 'soc2', 'hipaa'])
    // A default install keeps its traces the six months the clause asks for.
    const retention = clause(store, 'eu-ai-act', 'Art. 19(1), Art. 26(6)')
    expect(retention.status).toBe('covered')
    expect(retention.missing).toEqual([])
    expect(clause(store, 'eu-ai-act', 'Art. 14(4)').status).toBe('covered')
    expect(clause(store, 'hipaa', '(c)(1)').status).toBe('covered')
    expect(clause(store, 'nist-ai-rmf', 'GOVERN 1.6').status).toBe('covered')
    expect(store.notes.join()).not.toMatch(/retention/i)
  })

  it('says when the configured retention is under six months', async () => {
    const result = await runCli(['report', '--compliance', 'eu-ai-act', '--format', 'json', '--since', '1d'], {...env, AGENTGOV_TRACE_RETENTION_DAYS: '183'})
    expect(result.code).toBe(0)
    const short = JSON.parse(result.stdout) as Report
    const retention = clause(short, 'eu-ai-act', 'Art. 19(1), Art. 26(6)')
    expect(retention.status).toBe('partial')
    expect(retention.missing.join()).toMatch(/retention 183 days \(AGENTGOV_TRACE_RETENTION_DAYS\): under six months/)
    expect(short.notes.join()).toMatch(/Trace retention is 183 days: under the six months/)
  })

  it('reads the same traces exported as OTLP JSON', async () => {
    const file = join(dir.path, 'spans.jsonl')
    expect((await runCli(['traces', 'export', '--out', file], env)).code).toBe(0)
    const otlp = await report(['--traces', file, '--policy', policyFile, '--inventory', inventoryFile])
    expect(otlp.sources).toEqual([{kind: 'otlp-json', path: file, records: store.summary.records, unreadable: 0}])
    // Spans carry no reason or limit: a hidden tool and the kill switch read as default denials there.
    expect(otlp.evidence.runtime.denials.byRule).toEqual({'no-secrets': 1, 'tool-pinning': 1, '(default)': 2})
    expect(otlp.evidence.runtime.trust.pinChanges.tools).toEqual(['read_text_file'])
    expect(otlp.evidence.runtime.approvals.byOutcome).toEqual({timeout: 1})
    expect(otlp.evidence.runtime.chain).toEqual([])
    expect(risk(otlp, 'ASI10').status).toBe('covered')
    expect(risk(otlp, 'ASI02').evidence[2]).toBe('chain not verified (no local store read)')
    expect(clause(otlp, 'hipaa', '(c)(1)').status).toBe('gap')
  })

  it('reports an empty window without failing, and covers nothing', async () => {
    const empty = await report(['--from', '2001-01-01', '--to', '2001-01-02', '--policy', policyFile, '--inventory', inventoryFile])
    expect(empty.summary.records).toBe(0)
    expect(empty.notes.join()).toMatch(/No trace record in the window/)
    expect(empty.owasp!.filter((x) => x.status === 'covered')).toEqual([])
    expect(risk(empty, 'ASI02').why).toMatch(/never fired/)
  })

  it('reports a trace store that does not exist yet', async () => {
    const fresh = join(dir.path, 'fresh-home')
    const result = await runCli(['report', '--owasp', '--format', 'json', '--inventory', inventoryFile], {AGENTGOV_HOME: fresh, HOME: fresh})
    expect(result.code).toBe(0)
    const r = JSON.parse(result.stdout) as Report
    expect(r.sources).toEqual([{kind: 'store', path: join(fresh, 'traces'), records: 0, unreadable: 0, error: 'no such file or directory'}])
    expect(r.notes[0]).toBe(`${join(fresh, 'traces')} could not be read: no such file or directory.`)
  })

  it('reports a missing policy and a missing inventory without failing', async () => {
    const none = await report(['--policy', join(dir.path, 'nope.yaml'), '--inventory', join(dir.path, 'nope.json')])
    expect(none.notes.join('\n')).toMatch(/No policy loaded from .*nope\.yaml: no such file/)
    expect(none.notes.join('\n')).toMatch(/No inventory from .*nope\.json/)
    expect(none.evidence.controls.policy.loaded).toBe(false)
    expect(risk(none, 'ASI02').status).toBe('partial')
    expect(risk(none, 'ASI02').why).toMatch(/current policy does not hold/)
    expect(risk(none, 'ASI02').gaps[0].recommendation).toMatch(/policy init/)
  })

  it('reports a corrupted store: the chain is broken, the figures are kept, nothing is covered by it', async () => {
    const copy = join(dir.path, 'corrupt')
    cpSync(join(state, 'traces'), copy, {recursive: true})
    const segment = readdirSync(copy).find((n) => n.endsWith('.jsonl') && n !== 'index.jsonl')!
    const lines = readFileSync(join(copy, segment), 'utf8').split('\n')
    lines[0] = lines[0].replace('"test-agent"', '"evil-agent"')
    writeFileSync(join(copy, segment), lines.join('\n'))
    copyFileSync(policyFile, join(dir.path, 'p.yaml'))
    const corrupt = await report(['--traces', copy, '--policy', policyFile, '--inventory', inventoryFile])
    expect(corrupt.evidence.runtime.chain[0].ok).toBe(false)
    expect(corrupt.evidence.runtime.chain[0].problems[0]).toMatch(new RegExp(`${segment.replace('.jsonl', '')}:1 \\(line 1\\) does not match its hash`))
    expect(corrupt.sources[0].unreadable).toBe(1)
    expect(corrupt.notes.join()).toMatch(/does not verify/)
    expect(risk(corrupt, 'ASI02').status).toBe('partial')
    expect(clause(corrupt, 'hipaa', '(c)(1)').status).toBe('gap')
  })

  it('renders Markdown and the terminal summary with every risk', async () => {
    const md = await runCli(['report', '--owasp', '--compliance', 'eu-ai-act', '--format', 'markdown', '--since', '1d', '--policy', policyFile, '--inventory', inventoryFile], env)
    expect(md.code).toBe(0)
    for (const id of ['ASI01', 'ASI10', 'Art. 14(4)']) expect(md.stdout).toContain(id)
    expect(md.stdout).toContain('### ASI04 Agentic Supply Chain Vulnerabilities: covered')
    const term = await runCli(['report', '--owasp', '--since', '1d', '--policy', policyFile, '--inventory', inventoryFile], env)
    expect(term.code).toBe(0)
    expect(term.stdout).toMatch(/ASI09 covered/)
    expect(term.stdout.split('\n').length).toBeLessThan(30)
  })

  it('refuses a report with nothing to report on (usage error)', async () => {
    const result = await runCli(['report'], env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Nothing to report')
  })
})
