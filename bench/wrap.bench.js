#!/usr/bin/env node
// wrap benchmark: `agentgov wrap --all` then `agentgov unwrap --all` through the built CLI, on a fake
// Linux home holding every client's fixture config (comments, remote entries, CRLF for every other
// client) at that client's user location. Figures are wall time per command (median of RUNS rounds,
// each on a freshly written home), and the run fails when unwrap does not give back every byte.
//
//   node bench/wrap.bench.js          both cases (one round trip per run)
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {importDist} from './lib.js'

const BENCH = 'wrap'
const TARGET_MS = 1000
const RUNS = 5
const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const work = join(here, '.work', 'wrap')
const home = join(work, 'home')
const state = join(work, 'state')
const bin = join(root, 'bin', 'run.js')
const fixtures = join(root, 'test', 'fixtures', 'clients')


function fixtureFor(clientId, format) {
  const dir = join(fixtures, clientId)
  if (!existsSync(dir)) return undefined
  const names = readdirSync(dir, {recursive: true, encoding: 'utf8'}).sort()
  const ext = format === 'yaml' ? /\.ya?ml$/ : format === 'toml' ? /config\.toml$/ : /\.jsonc?$/
  return names.filter((n) => ext.test(n) && !/managed|requirements|plugin|extension|agent\.json|dev\.json/.test(n)).map((n) => join(dir, n))[0]
}

function writeHome(clients, host) {
  rmSync(work, {recursive: true, force: true})
  const written = new Map()
  for (const client of clients) {
    const location = client.machineConfigs(host).find((l) => l.path.startsWith(home) && !/[*?]/.test(l.path) && l.scope === 'user')
    const fixture = location && fixtureFor(client.id, location.format)
    if (!location || !fixture || written.has(location.path)) continue
    mkdirSync(dirname(location.path), {recursive: true})
    const text = readFileSync(fixture, 'utf8')
    const content = written.size % 2 === 1 ? text.replaceAll('\n', '\r\n') : text
    writeFileSync(location.path, content)
    written.set(location.path, content)
  }

  return written
}

function cli(args) {
  const start = process.hrtime.bigint()
  const stdout = execFileSync(process.execPath, [bin, ...args], {
    env: {PATH: process.env.PATH, HOME: home, AGENTGOV_HOME: state, AGENTGOV_PLATFORM: 'linux', CI: 'true'},
    maxBuffer: 64 * 1024 * 1024,
  })
  return {ms: Number(process.hrtime.bigint() - start) / 1e6, report: JSON.parse(stdout.toString())}
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const round = (n) => Math.round(n * 10) / 10
const emit = (figures) => process.stdout.write(`${JSON.stringify({bench: BENCH, ...figures})}\n`)

async function main() {
  const {CLIENTS} = await importDist('clients/index.js')
  const {hostFromEnv} = await importDist('host.js')
  const host = hostFromEnv({HOME: home}, 'linux')
  const times = {wrap: [], unwrap: []}
  const problems = []
  let counts
  for (let run = 0; run < RUNS; run++) {
    const written = writeHome(CLIENTS, host)
    const wrap = cli(['wrap', '--all', '--json'])
    const unwrap = cli(['unwrap', '--all', '--json'])
    times.wrap.push(wrap.ms)
    times.unwrap.push(unwrap.ms)
    counts ??= {files: written.size, servers: wrap.report.summary.wrapped, changed: wrap.report.summary.changed}
    if (wrap.report.summary.errors > 0) problems.push(`wrap failed on ${wrap.report.summary.errors} file(s)`)
    if (wrap.report.summary.changed !== unwrap.report.summary.changed) problems.push(`wrap changed ${wrap.report.summary.changed} files, unwrap ${unwrap.report.summary.changed}`)
    for (const [path, content] of written) {
      if (readFileSync(path, 'utf8') !== content) problems.push(`run ${run}: ${relative(home, path)} differs after unwrap`)
    }
  }

  const ok = problems.length === 0
  emit({case: 'wrap-all', ok, wall_ms: round(median(times.wrap)), max_wall_ms: round(Math.max(...times.wrap)), files: counts.files, files_changed: counts.changed, servers_wrapped: counts.servers, target_ms: TARGET_MS})
  emit({case: 'unwrap-all', ok, wall_ms: round(median(times.unwrap)), max_wall_ms: round(Math.max(...times.unwrap)), files: counts.files, byte_identical: ok ? counts.files : 0, target_ms: TARGET_MS})
  for (const problem of problems.slice(0, 20)) console.error(`wrap.bench: WRONG: ${problem}`)
  if (!ok) process.exitCode = 1
}

await main()
