#!/usr/bin/env node
// Proxy benchmarks against the real server-everything over stdio, each compared with a direct
// connection in the same run:
//
//   latency     2,000 sequential `echo` calls: p50/p99 µs direct, through a bare relay, through the
//               proxy, and through the proxy with OTLP export on (to a minimal sink, otlp-sink.js).
//   throughput  4,000 calls with 16 in flight: calls/s through the proxy vs direct.
//   cold_start  spawn to initialize response, median of 10: proxy vs direct.
//
// Targets (issue 4 and 5): added p50 ≤ 150 µs, added p99 ≤ 1 ms, throughput ≥ 90 % of direct,
// added cold start ≤ 100 ms, OTLP export adds ≤ 10 % at p50. Every call's answer is checked.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const BIN = join(here, '..', 'bin', 'run.js')
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js')
const SEQUENTIAL = 2000
const WARMUP = 300
const PARALLEL_CALLS = 4000
const IN_FLIGHT = 16
const COLD_RUNS = 10
const TARGETS = {added_p50_us: 150, added_p99_us: 1000, throughput_ratio: 0.9, added_cold_ms: 100, otlp_added_p50_ratio: 0.1}

const state = mkdtempSync(join(tmpdir(), 'agentgov-bench-proxy-'))
const policy = join(state, 'policy.yaml')
writeFileSync(policy, 'policies:\n  - name: bench\n    agent: "*"\n    rules:\n      - id: echo\n        tools: ["ev.echo"]\n        action: allow\n')
const baseEnv = {PATH: process.env.PATH ?? '', HOME: state, AGENTGOV_HOME: state, OTEL_SDK_DISABLED: 'true'}

function launch(kind, extraEnv = {}) {
  const server = [EVERYTHING, 'stdio']
  if (kind === 'direct') return {command: process.execPath, args: server, env: baseEnv}
  if (kind === 'relay') return {command: process.execPath, args: [join(here, 'relay.js'), process.execPath, ...server], env: baseEnv}
  return {command: process.execPath, args: [BIN, 'proxy', '--agent', 'bench', '--server', 'ev', '--policy', policy, '--', process.execPath, ...server], env: {...baseEnv, ...extraEnv}}
}

async function connect(spec) {
  const client = new Client({name: 'bench', version: '1'})
  await client.connect(new StdioClientTransport({...spec, stderr: 'ignore'}))
  return client
}

async function echo(client, i) {
  const result = await client.callTool({name: 'echo', arguments: {message: `m${i}`}})
  if (result.content?.[0]?.text !== `Echo: m${i}`) throw new Error(`wrong answer: ${JSON.stringify(result)}`)
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

async function sequential(spec) {
  const client = await connect(spec)
  for (let i = 0; i < WARMUP; i++) await echo(client, i)
  const times = []
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = process.hrtime.bigint()
    await echo(client, i)
    times.push(Number(process.hrtime.bigint() - start) / 1000)
  }

  await client.close()
  times.sort((a, b) => a - b)
  return {p50_us: round(percentile(times, 0.5)), p99_us: round(percentile(times, 0.99)), max_us: round(times.at(-1))}
}

async function throughput(spec) {
  const client = await connect(spec)
  for (let i = 0; i < WARMUP; i++) await echo(client, i)
  let next = 0
  const start = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: IN_FLIGHT}, async () => {
      while (next < PARALLEL_CALLS) await echo(client, next++)
    }),
  )
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  await client.close()
  return round(PARALLEL_CALLS / seconds)
}

async function coldStart(spec) {
  const times = []
  for (let i = 0; i < COLD_RUNS; i++) {
    const start = process.hrtime.bigint()
    const client = await connect(spec)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
    await client.close()
  }

  times.sort((a, b) => a - b)
  return round(percentile(times, 0.5))
}

const CASES = {
  async latency() {
    const direct = await sequential(launch('direct'))
    const relay = await sequential(launch('relay'))
    const proxied = await sequential(launch('proxy'))
    const sink = spawn(process.execPath, [join(here, 'otlp-sink.js')], {stdio: ['ignore', 'pipe', 'inherit']})
    const sinkUrl = await new Promise((resolve) => sink.stdout.once('data', (chunk) => resolve(String(chunk).trim())))
    const exported = await sequential(launch('proxy', {OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl}))
    sink.kill('SIGTERM')
    const added = {added_p50_us: round(proxied.p50_us - direct.p50_us), added_p99_us: round(proxied.p99_us - direct.p99_us)}
    emit({
      case: 'latency',
      ok: true,
      calls: SEQUENTIAL,
      ...proxied,
      ...added,
      baseline_p50_us: direct.p50_us,
      baseline_p99_us: direct.p99_us,
      ratio: round(proxied.p50_us / direct.p50_us),
      // A bare relay (no parsing, no policy) pays the extra process and pipe hops too: the floor here.
      relay_p50_us: relay.p50_us,
      relay_p99_us: relay.p99_us,
      over_relay_p50_us: round(proxied.p50_us - relay.p50_us),
      target_added_p50_us: TARGETS.added_p50_us,
      target_added_p99_us: TARGETS.added_p99_us,
      met: added.added_p50_us <= TARGETS.added_p50_us && added.added_p99_us <= TARGETS.added_p99_us,
    })
    emit({
      case: 'latency_otlp_on',
      ok: true,
      calls: SEQUENTIAL,
      ...exported,
      baseline_p50_us: proxied.p50_us,
      baseline_p99_us: proxied.p99_us,
      otlp_added_p50_us: round(exported.p50_us - proxied.p50_us),
      ratio: round(exported.p50_us / proxied.p50_us),
      met: exported.p50_us <= proxied.p50_us * (1 + TARGETS.otlp_added_p50_ratio),
    })
  },

  async throughput() {
    const direct = await throughput(launch('direct'))
    const relay = await throughput(launch('relay'))
    const proxied = await throughput(launch('proxy'))
    const ratio = round(proxied / direct)
    emit({case: 'throughput', ok: true, calls: PARALLEL_CALLS, in_flight: IN_FLIGHT, ops_s: proxied, baseline_ops_s: direct, ratio, relay_ops_s: relay, relay_ratio: round(relay / direct), target_ratio: TARGETS.throughput_ratio, met: ratio >= TARGETS.throughput_ratio})
  },

  async cold_start() {
    const direct = await coldStart(launch('direct'))
    const relay = await coldStart(launch('relay'))
    const proxied = await coldStart(launch('proxy'))
    const added = round(proxied - direct)
    emit({case: 'cold_start', ok: true, runs: COLD_RUNS, wall_ms: proxied, baseline_wall_ms: direct, added_ms: added, relay_wall_ms: relay, ratio: round(proxied / direct), target_added_ms: TARGETS.added_cold_ms, met: added <= TARGETS.added_cold_ms})
  },
}

function emit(figures) {
  process.stdout.write(JSON.stringify({bench: 'proxy', ...figures}) + '\n')
}

function round(value) {
  return Math.round(value * 100) / 100
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
  rmSync(state, {recursive: true, force: true})
}
