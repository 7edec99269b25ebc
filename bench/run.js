#!/usr/bin/env node
// Runs every bench/*.bench.js (or the ones named on the command line) in its own child process, so
// memory figures belong to one benchmark, and passes their JSON lines through to stdout. A summary
// goes to stderr; the exit code is non-zero when any benchmark failed or reported a wrong result.
//
//   node bench/run.js                 all benchmarks
//   node bench/run.js discover        one benchmark (all its cases)
//   node bench/run.js discover:repos  one case of one benchmark
import {spawn} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const available = readdirSync(here)
  .filter((name) => name.endsWith('.bench.js'))
  .map((name) => name.slice(0, -'.bench.js'.length))
  .sort()

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
const selected = wanted.length === 0 ? available.map((bench) => ({bench, cases: []})) : wanted.map(parseSelector)
const unknown = selected.filter(({bench}) => !available.includes(bench))
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.map((u) => u.bench).join(', ')}. Available: ${available.join(', ')}.`)
  process.exit(2)
}

const lines = []
let failed = 0
for (const {bench, cases} of merge(selected)) {
  const code = await runOne(bench, cases)
  if (code !== 0) {
    failed++
    console.error(`bench ${bench}: exited with code ${code}`)
  }
}

printSummary(lines)
process.exit(failed > 0 ? 1 : 0)

function parseSelector(arg) {
  const [bench, kase] = arg.split(':')
  return {bench, cases: kase ? [kase] : []}
}

/** `discover:repos discover:machine` runs one child with both cases; `discover` alone means all. */
function merge(list) {
  const byBench = new Map()
  for (const {bench, cases} of list) {
    const current = byBench.get(bench)
    if (!current) byBench.set(bench, [...cases])
    else if (current.length > 0 && cases.length > 0) current.push(...cases)
    else byBench.set(bench, [])
  }

  return [...byBench].map(([bench, cases]) => ({bench, cases}))
}

function runOne(bench, cases) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, `${bench}.bench.js`), ...cases], {stdio: ['ignore', 'pipe', 'inherit']})
    createInterface({input: child.stdout}).on('line', (line) => {
      process.stdout.write(`${line}\n`)
      try {
        lines.push(JSON.parse(line))
      } catch {
        // Not a figure line; passed through as it is.
      }
    })
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

function printSummary(results) {
  if (results.length === 0) return
  console.error('')
  for (const r of results) {
    const name = `${r.bench}:${r.case}`.padEnd(24)
    if (r.skipped) {
      console.error(`${name} skipped (${r.skipped})`)
      continue
    }

    const figures = Object.entries(r)
      .filter(([key]) => !['bench', 'case', 'ok'].includes(key) && typeof r[key] === 'number')
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')
    const verdict = r.ok === false ? 'WRONG' : r.target_ms !== undefined && r.wall_ms !== undefined ? (r.wall_ms <= r.target_ms ? 'ok' : 'SLOW') : ''
    console.error(`${name} ${verdict.padEnd(5)} ${figures}`)
  }
}
