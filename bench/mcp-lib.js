// Driving the real server-everything over stdio, directly, through a bare relay or through the proxy,
// for the proxy and telemetry benchmarks. Every `echo` answer is checked.
//
// Comparisons run in interleaved rounds (A B B A A B …), each with fresh processes, and report the
// median over rounds: this VM's speed drifts by tens of percent within a minute, so measuring one
// variant after the other would measure the drift.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const BIN = join(here, '..', 'bin', 'run.js')
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js')
/**
 * Runs warm up for at least this many calls and this long after connecting. In its first seconds a
 * Node process is still compiling: code that runs only every 100 ms, such as the telemetry flush,
 * takes seconds to be optimised. Calls then measure start-up (cold_start covers that), not what a
 * proxy that lives for a whole agent session costs. The warm-up's calls are timed and reported too.
 */
export const WARMUP = {calls: 300, ms: 3000}

/** A state directory with a one-rule policy that allows `ev.echo`; remove() when done. */
export function benchState() {
  const dir = mkdtempSync(join(tmpdir(), 'agentgov-bench-'))
  const policy = join(dir, 'policy.yaml')
  writeFileSync(policy, 'policies:\n  - name: bench\n    agent: "*"\n    rules:\n      - id: echo\n        tools: ["ev.echo"]\n        action: allow\n')
  const env = {PATH: process.env.PATH ?? '', HOME: dir, AGENTGOV_HOME: dir, OTEL_SDK_DISABLED: 'true'}
  return {dir, policy, env, remove: () => rmSync(dir, {recursive: true, force: true})}
}

/** How to launch server-everything: 'direct', through bench/relay.js, or through `agentgov proxy`. */
export function launch(state, kind, extraEnv = {}) {
  const server = [EVERYTHING, 'stdio']
  const env = {...state.env, ...extraEnv}
  if (kind === 'direct') return {command: process.execPath, args: server, env}
  if (kind === 'relay') return {command: process.execPath, args: [join(here, 'relay.js'), process.execPath, ...server], env}
  return {command: process.execPath, args: [BIN, 'proxy', '--agent', 'bench', '--server', 'ev', '--policy', state.policy, '--', process.execPath, ...server], env}
}

export async function connect(spec) {
  const client = new Client({name: 'bench', version: '1'})
  await client.connect(new StdioClientTransport({...spec, stderr: 'ignore'}))
  return client
}

async function echo(client, i) {
  const result = await client.callTool({name: 'echo', arguments: {message: `m${i}`}})
  if (result.content?.[0]?.text !== `Echo: m${i}`) throw new Error(`wrong answer: ${JSON.stringify(result)}`)
}

/**
 * Per-call latency in µs, unsorted: `times` of `calls` sequential echoes after the warm-up, and
 * `early`, the warm-up's own calls.
 */
export async function sequential(spec, calls) {
  const client = await connect(spec)
  const connected = performance.now()
  const early = []
  for (let i = 0; i < WARMUP.calls || performance.now() - connected < WARMUP.ms; i++) early.push(await timedEcho(client, i))
  const times = new Float64Array(calls)
  for (let i = 0; i < calls; i++) times[i] = await timedEcho(client, i)
  await client.close()
  return {times, early: Float64Array.from(early)}
}

async function timedEcho(client, i) {
  const start = process.hrtime.bigint()
  await echo(client, i)
  return Number(process.hrtime.bigint() - start) / 1000
}

/** Calls per second with `inFlight` calls outstanding at all times. */
export async function throughput(spec, calls, inFlight) {
  const client = await connect(spec)
  const connected = performance.now()
  for (let i = 0; i < WARMUP.calls || performance.now() - connected < WARMUP.ms; i++) await echo(client, i)
  let next = 0
  const start = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: inFlight}, async () => {
      while (next < calls) await echo(client, next++)
    }),
  )
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  await client.close()
  return calls / seconds
}

/** Spawn to initialize response, ms. */
export async function coldStart(spec) {
  const start = process.hrtime.bigint()
  const client = await connect(spec)
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  await client.close()
  return ms
}

/**
 * Runs measure(name) for every variant in `rounds` rounds, alternating the order each round so no
 * variant always goes first; returns {name: [result per round]}.
 */
export async function interleaved(names, rounds, measure) {
  const results = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    for (const name of order) results[name].push(await measure(name))
  }

  return results
}

export function median(values) {
  const sorted = Float64Array.from(values).sort()
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function percentile(values, p) {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

export function round(value) {
  return Math.round(value * 100) / 100
}
