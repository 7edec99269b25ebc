#!/usr/bin/env node
// Detector benchmark over the labelled corpus in test/fixtures/detect/: every tool is judged with
// the others as its server's tools (as the proxy sees one server's tools/list).
//
//   corpus    recall over attacks, recall per technique, honest tools flagged, µs per tool (median
//             and p99 of 20 timed rounds after a warm-up; each tool timed alone).
//   heldout   the same figures for the part of the corpus written after the detector was tuned.
//
// Prints one JSON line per case; `ok` is false when a target is missed: recall ≥ 95 %, every
// technique ≥ 85 %, at most 3 % of honest tools flagged, median ≤ 30 µs per tool.
//   node bench/detect.bench.js corpus --misses   also lists what was missed and what was flagged
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {importDist} from './lib.js'

const BENCH = 'detect'
const here = dirname(fileURLToPath(import.meta.url))
const fixtures = join(here, '..', 'test', 'fixtures', 'detect')
const {detectTool} = await importDist('detect/index.js')
const TARGETS = {recall: 0.95, technique: 0.85, falsePositives: 0.03, medianUs: 30}

const args = process.argv.slice(2)
const cases = args.filter((a) => !a.startsWith('-'))
const showMisses = args.includes('--misses')
const all = cases.length === 0 ? ['corpus', 'heldout'] : cases

for (const kase of all) {
  const file = join(fixtures, kase === 'heldout' ? 'heldout.json' : 'tools.json')
  const entries = JSON.parse(readFileSync(file, 'utf8'))
  console.log(JSON.stringify(measure(kase, entries)))
}

function measure(kase, entries) {
  const ownTools = entries.map((e) => e.tool.name)
  const judge = (entry) => detectTool(entry.tool, {ownTools})
  const byTechnique = {}
  const misses = []
  const flagged = []
  let caught = 0
  let attacks = 0
  let honest = 0
  for (const entry of entries) {
    const found = judge(entry).length > 0
    if (entry.attack) {
      attacks++
      const t = (byTechnique[entry.label] ??= {caught: 0, of: 0})
      t.of++
      if (found) {
        caught++
        t.caught++
      } else misses.push(entry.id)
    } else {
      honest++
      if (found) flagged.push(entry.id)
    }
  }

  // Timing: warm up, then each tool alone, 20 rounds.
  for (let round = 0; round < 5; round++) for (const entry of entries) judge(entry)
  const samples = []
  for (let round = 0; round < 20; round++) {
    for (const entry of entries) {
      const start = process.hrtime.bigint()
      judge(entry)
      samples.push(Number(process.hrtime.bigint() - start) / 1000)
    }
  }

  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(samples.length / 2)]
  const p99 = samples[Math.floor(samples.length * 0.99)]
  const recall = caught / attacks
  const perTechnique = Object.fromEntries(Object.entries(byTechnique).map(([k, v]) => [k, round3(v.caught / v.of)]))
  const falsePositiveRate = flagged.length / honest
  const ok =
    recall >= TARGETS.recall &&
    Object.values(perTechnique).every((r) => r >= TARGETS.technique) &&
    falsePositiveRate <= TARGETS.falsePositives &&
    median <= TARGETS.medianUs
  if (showMisses) console.error(`${kase}: missed ${misses.join(', ') || 'none'}; honest flagged ${flagged.join(', ') || 'none'}`)
  return {
    bench: BENCH,
    case: kase,
    ok,
    tools: entries.length,
    attacks,
    honest,
    recall: round3(recall),
    honest_flagged: flagged.length,
    false_positive_rate: round3(falsePositiveRate),
    median_us: round3(median),
    p99_us: round3(p99),
    per_technique: perTechnique,
  }
}

function round3(n) {
  return Math.round(n * 1000) / 1000
}
