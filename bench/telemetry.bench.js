#!/usr/bin/env node
// Telemetry benchmarks. Each case runs in its own child process.
//
//   append    TraceWriter throughput: 200,000 decision records appended and written, one process.
//   verify    verifyStore over a 1,000,000-record store (generated once under bench/.work/telemetry/).
//   decision  the caller's cost of Telemetry.decision(): store only (OTLP off) vs OTLP export on to a
//             local mockotlpserver, p50/p99 in µs.
//   proxy_latency  1,000 sequential `echo` calls per round (20 rounds, each after a 3 s warm-up, see
//             mcp-lib.js) on the real server-everything through the proxy, OTLP export off (the trace
//             store only) vs on (spans and metrics through the SDK worker to the real mockotlpserver in its
//             own process, otlp-sink.js), in interleaved rounds; target: on adds ≤ 10 % at p50.
// Every case checks its answer (records counted, chain intact, spans received) and fails when it is wrong.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {setImmediate} from 'node:timers'
import {fileURLToPath} from 'node:url'

import {importDist} from './lib.js'
import {benchState, interleaved, launch, median, percentile, sequential} from './mcp-lib.js'

const BENCH = 'telemetry'
const GENERATOR_VERSION = 2
const APPEND_RECORDS = 200_000
const VERIFY_RECORDS = 1_000_000
const DECISION_CALLS = 20_000
const PROXY_CALLS = 1000
const PROXY_ROUNDS = 20
const TARGETS = {append_records_s: 50_000, verify_ms: 5000, otlp_added_p50_ratio: 0.1}

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const work = join(here, '.work', 'telemetry')

const CASES = {append: benchAppend, verify: benchVerify, decision: benchDecision, proxy_latency: benchProxyLatency}

// ---------------------------------------------------------------------------------------------
// Cases.

async function benchAppend() {
  const [{TraceWriter}, {verifyStore}] = await Promise.all([importDist('telemetry/store/writer.js'), importDist('telemetry/store/scan.js')])
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-bench-'))
  try {
    const writer = new TraceWriter(dir, {maxPending: APPEND_RECORDS + 1})
    const start = process.hrtime.bigint()
    // Bursts with a turn of the event loop between them, as a busy proxy would append.
    for (let i = 0; i < APPEND_RECORDS; ) {
      for (let n = 0; n < 1000; n++, i++) writer.append(sample(i))
      await new Promise((resolve) => setImmediate(resolve))
    }

    writer.close()
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    const check = verifyStore(dir)
    const rate = Math.round(APPEND_RECORDS / (ms / 1000))
    emit({
      case: 'append',
      ok: check.ok && check.records === APPEND_RECORDS && writer.stats.dropped === 0,
      records: APPEND_RECORDS,
      wall_ms: round(ms),
      records_s: rate,
      target_records_s: TARGETS.append_records_s,
      target_ms: round((APPEND_RECORDS / TARGETS.append_records_s) * 1000),
    })
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

async function benchVerify() {
  const {verifyStore} = await importDist('telemetry/store/scan.js')
  const dir = join(work, 'store-1m')
  await ensureVerifyStore(dir)
  const times = []
  let result
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint()
    result = verifyStore(dir)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }

  emit({
    case: 'verify',
    ok: result.ok && result.records === VERIFY_RECORDS,
    records: result.records,
    segments: result.segments,
    wall_ms: round(median(times)),
    min_wall_ms: round(Math.min(...times)),
    records_s: Math.round(VERIFY_RECORDS / (median(times) / 1000)),
    target_ms: TARGETS.verify_ms,
  })
}

async function benchDecision() {
  const {createTelemetry} = await importDist('telemetry/index.js')
  const require = createRequire(import.meta.url)
  const {MockOtlpServer} = require('@elastic/mockotlpserver')
  let spans = 0
  const server = new MockOtlpServer({
    logLevel: 'error',
    services: ['http'],
    httpHostname: '127.0.0.1',
    httpPort: 0,
    onTrace: (request) => {
      for (const rs of request.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length
    },
  })
  await server.start()
  const endpoint = String(server.httpUrl).replace(/\/$/, '')
  const figures = {case: 'decision', calls: DECISION_CALLS}
  let ok = true
  for (const mode of ['off', 'on']) {
    const state = mkdtempSync(join(tmpdir(), 'agentgov-bench-'))
    const env = mode === 'on' ? {OTEL_EXPORTER_OTLP_ENDPOINT: endpoint} : {}
    const telemetry = await createTelemetry({stateDir: state, env})
    const samples = await measure(telemetry, DECISION_CALLS)
    await telemetry.shutdown()
    const stats = telemetry.stats()
    ok &&= stats.stored === DECISION_CALLS
    figures[`${mode}_p50_us`] = round2(percentile(samples, 0.5))
    figures[`${mode}_p99_us`] = round2(percentile(samples, 0.99))
    if (mode === 'on') figures.on_dropped_spans = stats.droppedSpans
    rmSync(state, {recursive: true, force: true})
  }

  figures.spans_received = spans
  // Spans beyond the bounded queue may be dropped by design; what arrived plus what was counted must add up.
  ok &&= spans + figures.on_dropped_spans === DECISION_CALLS
  await server.close()
  emit({...figures, ok})
}

async function benchProxyLatency() {
  const sink = spawn(process.execPath, [join(here, 'otlp-sink.js')], {stdio: ['ignore', 'pipe', 'pipe']})
  const state = benchState()
  try {
    const sinkUrl = await new Promise((resolve, reject) => {
      sink.stdout.once('data', (chunk) => resolve(String(chunk).trim()))
      sink.once('exit', () => reject(new Error('the OTLP sink exited before it listened')))
    })
    const env = {off: {}, on: {OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl}}
    const rounds = await interleaved(['off', 'on'], PROXY_ROUNDS, (mode) => sequential(launch(state, 'proxy', env[mode]), PROXY_CALLS))
    const p50 = (mode, part = 'times') => rounds[mode].map((run) => percentile(run[part], 0.5))
    const p99 = (mode) => rounds[mode].map((run) => percentile(run.times, 0.99))
    // Paired by round, so the VM's drift between rounds cancels out.
    const ratio = median(p50('on').map((on, i) => on / p50('off')[i]))
    const earlyRatio = median(p50('on', 'early').map((on, i) => on / p50('off', 'early')[i]))
    const {requests, spans} = await stopSink(sink)
    emit({
      case: 'proxy_latency',
      // Spans decoded by the real receiver: the "on" rounds went through the SDK worker and its exporter.
      ok: requests > 0 && spans >= PROXY_CALLS,
      calls: PROXY_CALLS,
      rounds: PROXY_ROUNDS,
      off_p50_us: round(median(p50('off'))),
      on_p50_us: round(median(p50('on'))),
      off_p99_us: round(median(p99('off'))),
      on_p99_us: round(median(p99('on'))),
      otlp_added_p50_ratio: round2(ratio - 1),
      // The warm-up's calls (the first 3 s after connecting): start-up cost, no target.
      early_calls_otlp_added_p50_ratio: round2(earlyRatio - 1),
      export_requests: requests,
      spans_received: spans,
      target_added_p50_ratio: TARGETS.otlp_added_p50_ratio,
      met: ratio - 1 <= TARGETS.otlp_added_p50_ratio,
    })
  } finally {
    sink.kill('SIGKILL')
    state.remove()
  }
}

/** Stops the sink and returns how many export requests and spans it received (it prints them on SIGTERM). */
function stopSink(sink) {
  return new Promise((resolve) => {
    let text = ''
    sink.stderr?.on('data', (chunk) => (text += chunk))
    sink.once('exit', () => {
      const found = /(\d+) export requests, (\d+) spans/.exec(text)
      resolve({requests: Number(found?.[1] ?? 0), spans: Number(found?.[2] ?? 0)})
    })
    sink.kill('SIGTERM')
  })
}

/** Per-call cost on the caller's path; the event loop turns between bursts so flushes and exports run as in a proxy. */
async function measure(telemetry, calls) {
  const samples = new Float64Array(calls)
  for (let i = 0; i < calls; ) {
    for (let n = 0; n < 50 && i < calls; n++, i++) {
      const event = sample(i)
      const start = process.hrtime.bigint()
      telemetry.decision(event)
      samples[i] = Number(process.hrtime.bigint() - start) / 1000
    }

    await new Promise((resolve) => setTimeout(resolve, 1))
  }

  return samples
}

function sample(i) {
  return {
    kind: 'decision',
    time: Date.now(),
    agent: i % 5 === 0 ? 'cursor' : 'claude-code',
    server: 'github',
    tool: i % 3 === 0 ? 'create_issue' : 'get_issue',
    stage: 'pre_tool',
    action: i % 3 === 0 ? 'deny' : 'allow',
    policy: 'team',
    rule: i % 3 === 0 ? 'no-writes' : 'reads',
    reason: i % 3 === 0 ? 'Writes to GitHub need a maintainer approval.' : 'Reads are allowed.',
    latencyUs: 10 + (i % 40),
    argsDigest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    requestId: i,
    sessionId: 'session-1',
  }
}

// ---------------------------------------------------------------------------------------------
// The 1,000,000-record store for verify: generated once by a child (so its memory is not ours).

async function ensureVerifyStore(dir) {
  const stampFile = join(work, 'store-1m.json')
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : undefined
  if (stamp?.version === GENERATOR_VERSION && stamp.records === VERIFY_RECORDS && existsSync(dir)) return
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  console.error(`telemetry.bench: generating ${VERIFY_RECORDS} records in ${relative(root, dir)} (once)`)
  const generated = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate', dir], {stdio: 'inherit'})
  if (generated.status !== 0) throw new Error('generating the verify store failed')
  writeFileSync(stampFile, JSON.stringify({version: GENERATOR_VERSION, records: VERIFY_RECORDS}))
}

async function generate(dir) {
  const {TraceWriter} = await importDist('telemetry/store/writer.js')
  // Eight writers, as eight proxies would leave them; 64 MiB segments.
  const writers = Array.from({length: 8}, () => new TraceWriter(dir, {maxPending: VERIFY_RECORDS}))
  for (let i = 0; i < VERIFY_RECORDS; i++) {
    writers[i % 8].append(sample(i))
    if (i % 10_000 === 9999) for (const w of writers) w.flushSync()
  }

  for (const w of writers) w.close()
}

// ---------------------------------------------------------------------------------------------
// Helpers.


function round(n) {
  return Math.round(n * 10) / 10
}

function round2(n) {
  return Math.round(n * 100) / 100
}

function emit(figures) {
  process.stdout.write(`${JSON.stringify({bench: BENCH, ...figures})}\n`)
  if (figures.ok === false) process.exitCode = 1
}

if (process.argv[2] === '--generate') {
  await generate(process.argv[3])
} else {
  const wanted = process.argv.slice(2)
  const names = wanted.length > 0 ? wanted : Object.keys(CASES)
  for (const name of names) {
    if (!CASES[name]) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`)
    // One child per case so each case's memory and JIT state are its own.
    if (names.length > 1) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], {stdio: 'inherit'})
      if (child.status !== 0) process.exitCode = 1
    } else {
      await CASES[name]()
    }
  }
}
