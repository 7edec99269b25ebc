#!/usr/bin/env node
// Proxy benchmarks against the real server-everything over stdio, each compared with a direct
// connection and a bare relay in the same run, in interleaved rounds (see mcp-lib.js):
//
//   latency     2,000 sequential `echo` calls per round after a warm-up of 3 s (mcp-lib.js): p50/p99
//               µs direct, through a bare relay and through the proxy; the added figures are the
//               median over rounds of (proxy − direct). The warm-up's calls are reported apart.
//   throughput  20,000 calls with 16 in flight per round: calls/s through the proxy vs direct.
//   cold_start  spawn to initialize response: proxy vs direct, median over rounds.
//
// Targets (issue 4): added p50 ≤ 150 µs, added p99 ≤ 1 ms, throughput ≥ 90 % of direct, added cold
// start ≤ 100 ms. OTLP export on vs off is the telemetry benchmark's proxy_latency case.
import {benchState, coldStart, interleaved, launch, median, percentile, round, sequential, throughput} from './mcp-lib.js'

const SEQUENTIAL = 2000
const ROUNDS = 5
const PARALLEL_CALLS = 20000
const IN_FLIGHT = 16
const COLD_RUNS = 10
const TARGETS = {added_p50_us: 150, added_p99_us: 1000, throughput_ratio: 0.9, added_cold_ms: 100}
const VARIANTS = ['direct', 'relay', 'proxy']

const state = benchState()

/** Median over rounds of a figure, and of its difference from (or ratio to) the direct run of the same round. */
function summarise(rounds, figure, versus) {
  const of = (name) => rounds[name].map(figure)
  const paired = (name) => of(name).map((value, i) => versus(value, of('direct')[i]))
  return {direct: round(median(of('direct'))), relay: round(median(of('relay'))), proxy: round(median(of('proxy'))), relayVsDirect: round(median(paired('relay'))), proxyVsDirect: round(median(paired('proxy')))}
}

const CASES = {
  async latency() {
    const rounds = await interleaved(VARIANTS, ROUNDS, (kind) => sequential(launch(state, kind), SEQUENTIAL))
    const p50 = summarise(rounds, (run) => percentile(run.times, 0.5), (a, b) => a - b)
    const p99 = summarise(rounds, (run) => percentile(run.times, 0.99), (a, b) => a - b)
    const early = summarise(rounds, (run) => percentile(run.early, 0.5), (a, b) => a - b)
    emit({
      case: 'latency',
      ok: true,
      calls: SEQUENTIAL,
      rounds: ROUNDS,
      p50_us: p50.proxy,
      p99_us: p99.proxy,
      added_p50_us: p50.proxyVsDirect,
      added_p99_us: p99.proxyVsDirect,
      baseline_p50_us: p50.direct,
      baseline_p99_us: p99.direct,
      // A bare relay (no parsing, no policy) pays the extra process and pipe hops too: the floor here.
      relay_added_p50_us: p50.relayVsDirect,
      relay_added_p99_us: p99.relayVsDirect,
      // The warm-up's calls (the first 3 s after connecting): start-up cost, no target.
      early_calls_added_p50_us: early.proxyVsDirect,
      target_added_p50_us: TARGETS.added_p50_us,
      target_added_p99_us: TARGETS.added_p99_us,
      met: p50.proxyVsDirect <= TARGETS.added_p50_us && p99.proxyVsDirect <= TARGETS.added_p99_us,
    })
  },

  async throughput() {
    const rounds = await interleaved(VARIANTS, ROUNDS, (kind) => throughput(launch(state, kind), PARALLEL_CALLS, IN_FLIGHT))
    const ops = summarise(rounds, (value) => value, (a, b) => a / b)
    emit({
      case: 'throughput',
      ok: true,
      calls: PARALLEL_CALLS,
      in_flight: IN_FLIGHT,
      rounds: ROUNDS,
      ops_s: ops.proxy,
      baseline_ops_s: ops.direct,
      ratio: ops.proxyVsDirect,
      relay_ops_s: ops.relay,
      relay_ratio: ops.relayVsDirect,
      target_ratio: TARGETS.throughput_ratio,
      met: ops.proxyVsDirect >= TARGETS.throughput_ratio,
    })
  },

  async cold_start() {
    const rounds = await interleaved(VARIANTS, COLD_RUNS, (kind) => coldStart(launch(state, kind)))
    const ms = summarise(rounds, (value) => value, (a, b) => a - b)
    emit({
      case: 'cold_start',
      ok: true,
      runs: COLD_RUNS,
      wall_ms: ms.proxy,
      baseline_wall_ms: ms.direct,
      added_ms: ms.proxyVsDirect,
      relay_wall_ms: ms.relay,
      target_added_ms: TARGETS.added_cold_ms,
      met: ms.proxyVsDirect <= TARGETS.added_cold_ms,
    })
  },
}

function emit(figures) {
  process.stdout.write(JSON.stringify({bench: 'proxy', ...figures}) + '\n')
}

const wanted = process.argv.slice(2)
try {
  for (const name of wanted.length > 0 ? wanted : Object.keys(CASES)) {
    if (!CASES[name]) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`)
    await CASES[name]()
  }
} catch (error) {
  console.error(`bench proxy: ${error.message}`)
  process.exitCode = 1
} finally {
  state.remove()
}
