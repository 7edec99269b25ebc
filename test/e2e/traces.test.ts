import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readOtlpJsonFile} from '../../src/telemetry/otlp-json.js'
import {listSegments, tracesDir} from '../../src/telemetry/store/segments.js'
import {TraceWriter} from '../../src/telemetry/store/writer.js'
import type {DecisionRecord, StoredRecord} from '../../src/telemetry/types.js'
import {attrs, startReceiver} from '../helpers/otlp-receiver.js'
import {BIN, runCli, tempDir} from '../helpers/tree.js'

const DAY = 86_400_000

function record(i: number, extra: Partial<DecisionRecord> = {}): DecisionRecord {
  return {kind: 'decision', time: Date.now() - 60_000 + i, agent: i % 2 ? 'cursor' : 'claude-code', server: 'github', tool: i % 3 ? 'get_issue' : 'create_issue', stage: 'pre_tool', action: i % 3 ? 'allow' : 'deny', policy: 'team', rule: i % 3 ? 'reads' : 'no-writes', reason: `reason ${i}`, latencyUs: 20, ...extra}
}

function seed(state: string, records: DecisionRecord[]): void {
  const writer = new TraceWriter(tracesDir(state))
  for (const r of records) writer.append(r)
  writer.close()
}

describe('agentgov traces', () => {
  const dir = tempDir()
  const state = join(dir.path, 'state')
  const env = {HOME: dir.path, AGENTGOV_HOME: state}

  beforeAll(() => {
    seed(state, Array.from({length: 12}, (_, i) => record(i)))
    seed(state, [record(100, {time: Date.now() - 400 * DAY, reason: 'ancient'})])
  })

  afterAll(() => dir.cleanup())

  it('list --json filters by agent, action and window', async () => {
    const result = await runCli(['traces', 'list', '--agent', 'claude-code', '--action', 'deny', '--since', '1d', '--json'], env)
    expect(result.code).toBe(0)
    const {records} = JSON.parse(result.stdout) as {records: StoredRecord[]}
    expect(records.map((r) => r.reason)).toEqual(['reason 0', 'reason 6'])
  })

  it('list prints one line per record when not on a terminal', async () => {
    const result = await runCli(['traces', 'list', '--tool', 'github.create_issue'], env)
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/deny +\S+ +github\.create_issue +pre_tool +rule=no-writes +reason 0/)
  })

  it('show finds a record by id and by hash prefix; an unknown id exits 3', async () => {
    const {records} = JSON.parse((await runCli(['traces', 'list', '--json'], env)).stdout) as {records: StoredRecord[]}
    const target = records[3]
    const byId = JSON.parse((await runCli(['traces', 'show', target.id, '--json'], env)).stdout) as StoredRecord
    expect(byId).toMatchObject({id: target.id, reason: target.reason})
    const byHash = JSON.parse((await runCli(['traces', 'show', target.hash.slice(0, 12), '--json'], env)).stdout) as StoredRecord
    expect(byHash.id).toBe(target.id)
    const missing = await runCli(['traces', 'show', 'nope:1'], env)
    expect(missing.code).toBe(3)
    expect(missing.stderr).toMatch(/No trace record nope:1/)
  })

  it('export writes OTLP JSON that the reader turns back into the same decisions', async () => {
    const out = join(dir.path, 'export.jsonl')
    const result = await runCli(['traces', 'export', '--format', 'otlp-json', '--out', out, '--since', '1d', '--json'], env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({records: 12, requests: 1})
    const {records, badLines} = await readOtlpJsonFile(out)
    expect(badLines).toBe(0)
    expect(records).toHaveLength(12)
    expect(records.filter((r) => r.action === 'deny').map((r) => r.rule)).toEqual(['no-writes', 'no-writes', 'no-writes', 'no-writes'])
    expect(records[0]).toMatchObject({kind: 'decision', agent: 'claude-code', server: 'github', tool: 'create_issue', stage: 'pre_tool', policy: 'team', latencyUs: 20})
  })

  it('export --otlp-endpoint replays to a real OTLP receiver', async () => {
    const receiver = await startReceiver()
    const result = await runCli(['traces', 'export', '--otlp-endpoint', receiver.url, '--agent', 'cursor', '--json'], env)
    expect(result.code).toBe(0)
    expect(receiver.spans).toHaveLength(6)
    expect(new Set(receiver.spans.map((s) => attrs(s.attributes)['agt.agent.id']))).toEqual(new Set(['cursor']))
    await receiver.close()
    const refused = await runCli(['traces', 'export', '--otlp-endpoint', 'http://127.0.0.1:9'], env)
    expect(refused.code).toBe(3)
  })

  it('export needs exactly one of --out and --otlp-endpoint', async () => {
    expect((await runCli(['traces', 'export'], env)).code).toBe(2)
  })

  it('verify passes, then names the edited record and exits 1', async () => {
    const home = join(dir.path, 'verify')
    seed(home, Array.from({length: 5}, (_, i) => record(i)))
    const ok = await runCli(['traces', 'verify', '--json'], {...env, AGENTGOV_HOME: home})
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ok: true, records: 5})
    const [segment] = listSegments(tracesDir(home))
    writeFileSync(segment.path, readFileSync(segment.path, 'utf8').replace('reason 2', 'reason Z'))
    const broken = await runCli(['traces', 'verify'], {...env, AGENTGOV_HOME: home})
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain(`${segment.name}:3`)
  })

  it('prune removes what is older than the retention and the store still verifies', async () => {
    const dry = await runCli(['traces', 'prune', '--dry-run', '--json'], env)
    expect(JSON.parse(dry.stdout).removed).toHaveLength(1)
    const pruned = await runCli(['traces', 'prune'], env)
    expect(pruned.code).toBe(0)
    expect(pruned.stdout).toMatch(/Removed 1 segment\(s\), 1 record\(s\) older than 184 days/)
    expect((await runCli(['traces', 'verify'], env)).code).toBe(0)
  })

  it('tail prints the backlog, then follows new records with filters', async () => {
    const home = join(dir.path, 'tail')
    seed(home, [record(1), record(2)])
    const child = spawn(process.execPath, [BIN, 'traces', 'tail', '-n', '1', '--action', 'deny', '--interval', '50'], {env: {PATH: process.env.PATH, CI: 'true', AGENTGOV_HOME: home}})
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 10_000
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`tail printed: ${out}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    }

    await new Promise((r) => setTimeout(r, 1000))
    seed(home, [record(3, {reason: 'live deny'}), record(4, {reason: 'live allow'})])
    await waitFor(/live deny/)
    child.kill('SIGTERM')
    await new Promise((r) => child.on('close', r))
    expect(out).not.toContain('live allow')
    expect(out).not.toContain('reason 1')
  })

  it('every traces command has help with examples', async () => {
    for (const command of ['tail', 'list', 'show', 'verify', 'prune', 'export']) {
      const help = await runCli(['traces', command, '--help'], env)
      expect(help.code).toBe(0)
      expect(help.stdout).toContain('EXAMPLES')
      expect(help.stdout).toContain('--json')
    }
  })
})
