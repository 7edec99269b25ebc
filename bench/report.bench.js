#!/usr/bin/env node
// Report benchmark: `agentgov report --owasp --compliance all` over a 1,000,000-record store (decisions,
// approvals and trust checks from seven agents over 20 days, eight writers' segments), generated once
// under bench/.work/report/ and reused until GENERATOR_VERSION changes. The evidence pass streams the
// store and checks its hash chain in the same pass: targets <= 5 s and <= 300 MB peak RSS. The case
// checks its figures against the generator's pattern and fails when they are wrong.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {importDist, sampleRss} from './lib.js'

const BENCH = 'report'
const GENERATOR_VERSION = 1
const RECORDS = 1_000_000
const DAYS = 20
const TARGETS = {wall_ms: 5000, peak_rss_mb: 300}

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const work = join(here, '.work', 'report')
const storeDir = join(work, 'store-1m')
const stampFile = join(work, 'store-1m.json')

/** Record i of the generated store: the same function generates it and predicts the report's figures. */
function recordAt(i, base) {
  const time = base + Math.floor((i * DAYS * 86_400_000) / RECORDS)
  const agent = `agent-${i % 7}`
  const common = {time, agent, server: 'github', requestId: i, sessionId: `s${i % 13}`}
  switch (i % 10) {
    case 6:
      return {...common, kind: 'decision', tool: 'delete_repo', stage: 'pre_tool', action: 'deny', policy: 'team', rule: 'no-deletes', reason: 'No deletes.', condition: 'arg owner in [org]', latencyUs: 12}
    case 7:
      return {...common, kind: 'decision', tool: 'create_issue', stage: 'pre_tool', action: 'human_approval', policy: 'team', rule: 'writes', reason: 'Writes need a person.', latencyUs: 11}
    case 8:
      return {...common, kind: 'approval', tool: 'create_issue', stage: 'pre_tool', rule: 'writes', approval: {outcome: ['approved', 'denied', 'timeout'][i % 3], approver: i % 2 ? 'alice' : 'bob', channel: 'cli', waitedMs: 1500}}
    case 9:
      if (i % 100 === 9) return {time, agent, server: 'github', kind: 'trust', trust: {subject: `tool-pin:tool_${i % 5}`, ok: false, detail: 'definition changed since pinned'}}
      if (i % 100 === 19) return {...common, kind: 'decision', tool: 'get_issue', stage: 'pre_tool', action: 'deny', policy: 'team', rule: null, limit: 'rate_limit', reason: 'Rate limit.', latencyUs: 3}
      return {...common, kind: 'decision', tool: 'run_shell', stage: 'pre_tool', action: 'deny', policy: null, rule: null, reason: 'No rule matched.', latencyUs: 4}
    default:
      return {...common, kind: 'decision', tool: 'get_issue', stage: 'pre_tool', action: 'allow', policy: 'team', rule: 'reads', reason: 'Reads are allowed.', latencyUs: 9, argsDigest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'}
  }
}

function expected() {
  const e = {allow: 0, deny: 0, human_approval: 0, approvals: 0, approved: 0, pin: 0, rate: 0, defaultDeny: 0, exec: 0}
  for (let i = 0; i < RECORDS; i++) {
    const m = i % 10
    if (m <= 5) e.allow++
    else if (m === 6) e.deny++
    else if (m === 7) e.human_approval++
    else if (m === 8) {
      e.approvals++
      if (i % 3 === 0) e.approved++
    } else if (i % 100 === 9) e.pin++
    else if (i % 100 === 19) {
      e.deny++
      e.rate++
    } else {
      e.deny++
      e.defaultDeny++
      e.exec++
    }
  }

  return e
}

async function bench() {
  const stamp = await ensureStore()
  const {buildReport} = await importDist('report/index.js')
  const window = {from: stamp.base - 1, to: stamp.base + DAYS * 86_400_000 + 1}
  const peak = sampleRss()
  const start = process.hrtime.bigint()
  const report = await buildReport({window, traces: [storeDir], owasp: true, compliance: ['eu-ai-act', 'nist-ai-rmf', 'iso-42001', 'soc2', 'hipaa'], env: {}})
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  const rss = peak.stop()

  const r = report.evidence.runtime
  const e = expected()
  const problems = []
  const check = (what, got, want) => got !== want && problems.push(`${what}: expected ${want}, got ${got}`)
  check('records', r.records, RECORDS)
  check('allow', r.byAction.allow, e.allow)
  check('deny', r.byAction.deny, e.deny)
  check('human_approval', r.byAction.human_approval, e.human_approval)
  check('approvals', r.approvals.total, e.approvals)
  check('approved', r.approvals.byOutcome.approved, e.approved)
  check('pin changes', r.trust.pinChanges.count, e.pin)
  check('rate-limit trips', r.limits.rate_limit.count, e.rate)
  check('default denials', r.denials.defaultDeny.count, e.defaultDeny)
  check('exec calls', r.execCalls.count, e.exec)
  check('agents', Object.keys(r.agents).length, 7)
  check('chain ok', r.chain[0]?.ok, true)
  check('chain records', r.chain[0]?.records, RECORDS)
  check('risks', report.owasp.length, 10)
  check('frameworks', report.compliance.length, 5)
  for (const p of problems) console.error(`report.bench: WRONG: ${p}`)

  const figures = {
    case: 'owasp-all',
    ok: problems.length === 0,
    records: r.records,
    wall_ms: Math.round(wall),
    records_s: Math.round(RECORDS / (wall / 1000)),
    peak_rss_mb: Math.round(rss / 1048576),
    target_ms: TARGETS.wall_ms,
    target_rss_mb: TARGETS.peak_rss_mb,
  }
  process.stdout.write(`${JSON.stringify({bench: BENCH, ...figures})}\n`)
  if (!figures.ok) process.exitCode = 1
  if (figures.wall_ms > TARGETS.wall_ms || figures.peak_rss_mb > TARGETS.peak_rss_mb) console.error(`report.bench: over target (${figures.wall_ms} ms, ${figures.peak_rss_mb} MB)`)
}

// The store is generated once, by a child, so its memory is not ours.
async function ensureStore() {
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : undefined
  if (stamp?.version === GENERATOR_VERSION && stamp.records === RECORDS && existsSync(storeDir)) return stamp
  rmSync(storeDir, {recursive: true, force: true})
  mkdirSync(storeDir, {recursive: true})
  console.error(`report.bench: generating ${RECORDS} records in ${relative(root, storeDir)} (once)`)
  const base = Date.now() - (DAYS + 1) * 86_400_000
  const generated = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate', storeDir, String(base)], {stdio: 'inherit'})
  if (generated.status !== 0) throw new Error('generating the report store failed')
  const fresh = {version: GENERATOR_VERSION, records: RECORDS, base}
  writeFileSync(stampFile, JSON.stringify(fresh))
  return fresh
}

async function generate(dir, base) {
  const {TraceWriter} = await importDist('telemetry/store/writer.js')
  // Eight writers, as eight proxies would leave them.
  const writers = Array.from({length: 8}, () => new TraceWriter(dir, {maxPending: RECORDS}))
  for (let i = 0; i < RECORDS; i++) {
    writers[i % 8].append(recordAt(i, base))
    if (i % 10_000 === 9999) for (const w of writers) w.flushSync()
  }

  for (const w of writers) w.close()
}



if (process.argv[2] === '--generate') await generate(process.argv[3], Number(process.argv[4]))
else await bench()
