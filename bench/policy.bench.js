#!/usr/bin/env node
// Policy engine benchmarks: per-evaluation latency and compile time.
//
//   rules_N           N rules (10, 100, 1,000, 10,000) in four agent policies, half with argument
//                     conditions; the call is matched only by the last rule in precedence order, and
//                     eight decoy rules match its name but fail their conditions. Loop detection on,
//                     state from a PolicyStateStore. Each evaluation is timed alone with
//                     process.hrtime.bigint after a warm-up (the timer's own cost is included).
//   rules_N_nocache   the same with the per-name candidate memo off: the index alone.
//   compile_N         YAML text to compiled policy for N rules (median of 9): wall_ms in all, of which
//                     yaml_parse_ms is the policy reader's YAML parse (js-yaml and the located node
//                     tree) and engine_ms validation and indexing.
//
// Every case checks its decisions and exits non-zero when one is wrong.
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const BENCH = 'policy'
const SIZES = [10, 100, 1000, 10_000]
const TARGET_P99_US = {1000: 2, 10_000: 5}
const TARGET_COMPILE_MS = {1000: 50}
const WARMUP = 50_000
const SAMPLES = 200_000

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, '..', 'dist', 'src', 'policy', 'index.js')
const {compilePolicy, evaluate, PolicyStateStore} = await import(pathToFileURL(dist).href)
const {parseYamlTree} = await import(pathToFileURL(join(here, '..', 'dist', 'src', 'policy', 'yaml-tree.js')).href)

const TARGET_SERVER = 'files'

/** The policy text for n rules; the last rule (id `last`) is the only one matching the bench call. */
export function generatePolicy(n) {
  const policies = [
    {name: 'exact', agent: 'bench-agent', rules: []},
    {name: 'prefix', agent: 'bench-*', rules: []},
    {name: 'others', agent: 'other-*', rules: []},
    {name: 'everyone', agent: '*', rules: []},
  ]
  const servers = Math.max(2, Math.floor(n / 25))
  const actions = ['allow', 'deny', 'human_approval', 'audit']
  const decoyEvery = Math.max(1, Math.floor(n / 8))
  for (let i = 0; i < n - 1; i++) {
    const s = `s${i % servers}`
    const lines = [`      - id: r${i}`]
    if (i % decoyEvery === decoyEvery - 1) {
      // Matches the call's name; its condition is false for the call's arguments.
      lines.push(`        tools: [${i % 2 ? `"*.target_file"` : `${TARGET_SERVER}.target_*`}]`)
      lines.push(`        action: ${actions[i % 4]}`)
      lines.push(i % 2 ? `        when: {arg: size, gt: 1000000}` : `        when: {arg: path, under: /secret}`)
    } else {
      const pattern = [`${s}.tool_${i}`, `${s}.op_${i}_*`, `"*.w_${i}"`, `${s}.a_${i}, ${s}.b_${i}`][i % 4]
      lines.push(`        tools: [${pattern}]`, `        action: ${actions[i % 4]}`)
      if (i % 2 === 1) {
        lines.push(
          [
            `        when: {arg: size, lte: ${i}}`,
            `        when: {arg: path, under: /data/${i}}`,
            `        when: {arg: mode, in: [x${i}, y${i}]}`,
            `        when: {all: [{arg: name, matches: "^n_${i}_"}, {not: {arg: force, equals: true}}]}`,
          ][(i >> 1) % 4],
        )
      }
    }

    policies[i % 4].rules.push(lines.join('\n'))
  }

  policies[3].rules.push(
    [
      '      - id: last',
      `        tools: [${TARGET_SERVER}.target_*]`,
      '        action: allow',
      '        when:',
      '          - {arg: path, under: /work}',
      '          - {arg: size, lte: 100}',
    ].join('\n'),
  )
  const body = policies
    .filter((p) => p.rules.length > 0)
    .map((p) => `  - name: ${p.name}\n    agent: "${p.agent}"\n    rules:\n${p.rules.join('\n')}`)
    .join('\n')
  return `version: 1\npolicies:\n${body}\n`
}

function calls() {
  // Distinct argument values so loop detection keys differ, as in real traffic.
  return Array.from({length: 16}, (_, k) => ({
    agent: 'bench-agent',
    server: TARGET_SERVER,
    tool: 'target_file',
    stage: 'pre_tool',
    args: {path: `/work/project/src/file-${k}.ts`, size: 10 + k, mode: 'r'},
  }))
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]
}

function round(value, digits = 3) {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

function emit(figures) {
  process.stdout.write(`${JSON.stringify({bench: BENCH, ...figures})}\n`)
}

function benchRules(n, cache) {
  const policy = compilePolicy(generatePolicy(n), `bench-${n}.yaml`, {cache, home: '/home/bench', platform: 'linux'})
  const store = new PolicyStateStore()
  const now = Date.now()
  const variants = calls()
  // History: each variant once, so the tool is busy and every evaluation builds its loop key.
  for (const call of variants) store.record(call, {action: 'allow', policy: 'everyone', rule: 'last', reason: ''}, now - 1000)
  const snapshot = store.snapshot(now)
  const problems = []
  for (const call of variants) {
    const d = evaluate(policy, call, snapshot)
    if (d.action !== 'allow' || d.rule !== 'last') problems.push(`expected allow by rule last, got ${d.action} by ${d.rule}: ${d.reason}`)
  }

  // A different agent, tool or argument must not reach the last rule's allow.
  const outside = evaluate(policy, {...variants[0], args: {path: '/etc/passwd', size: 1}}, snapshot)
  if (outside.action !== 'deny' || outside.rule !== null) problems.push(`a path outside /work was not denied by default: ${outside.action} ${outside.rule}`)
  if (n >= 100) {
    const exact = evaluate(policy, {agent: 'bench-agent', server: 's0', tool: 'tool_0', stage: 'pre_tool', args: {}}, snapshot)
    if (exact.rule !== 'r0') problems.push(`s0.tool_0 should match rule r0, got ${exact.rule}`)
  }

  for (let i = 0; i < WARMUP; i++) evaluate(policy, variants[i & 15], snapshot)
  const samples = new Float64Array(SAMPLES)
  let sink = 0
  for (let i = 0; i < SAMPLES; i++) {
    const call = variants[i & 15]
    const start = process.hrtime.bigint()
    const d = evaluate(policy, call, snapshot)
    const end = process.hrtime.bigint()
    samples[i] = Number(end - start)
    if (d.rule === 'last') sink++
  }

  if (sink !== SAMPLES) problems.push(`${SAMPLES - sink} timed evaluations decided differently`)
  // Throughput without the timer: one clock read around a batch.
  const batch = 500_000
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < batch; i++) sink += evaluate(policy, variants[i & 15], snapshot).rule === 'last' ? 1 : 0
  const batchNs = Number(process.hrtime.bigint() - t0)

  const sorted = Array.from(samples).sort((a, b) => a - b)
  const p99 = percentile(sorted, 0.99) / 1000
  const target = cache ? TARGET_P99_US[n] : undefined
  emit({
    case: `rules_${n}${cache ? '' : '_nocache'}`,
    ok: problems.length === 0,
    rules: policy.rules.length,
    p50_us: round(percentile(sorted, 0.5) / 1000),
    p99_us: round(p99),
    max_us: round(sorted.at(-1) / 1000),
    mean_us: round(sorted.reduce((a, b) => a + b, 0) / sorted.length / 1000),
    ops_s: Math.round(batch / (batchNs / 1e9)),
    samples: SAMPLES,
    ...(target === undefined ? {} : {target_p99_us: target, within_target: p99 <= target}),
  })
  return problems
}

function benchCompile(n) {
  const text = generatePolicy(n)
  for (let i = 0; i < 2; i++) compilePolicy(text, 'warm.yaml', {home: '/home/bench', platform: 'linux'})
  const times = []
  let rules = 0
  for (let i = 0; i < 9; i++) {
    const t0 = process.hrtime.bigint()
    rules = compilePolicy(text, `bench-${n}.yaml`, {home: '/home/bench', platform: 'linux'}).rules.length
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }

  times.sort((a, b) => a - b)
  const wall = times[4]
  // The reader's YAML parse alone, as compilePolicy runs it: the rest is validation and indexing.
  const yamlTimes = []
  let tree
  for (let i = 0; i < 9; i++) {
    const t0 = process.hrtime.bigint()
    tree = parseYamlTree(text)
    yamlTimes.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }

  yamlTimes.sort((a, b) => a - b)
  const target = TARGET_COMPILE_MS[n]
  const parsed = !tree.error && tree.root?.kind === 'map'
  emit({
    case: `compile_${n}`,
    ok: rules === n && parsed,
    rules,
    wall_ms: round(wall, 2),
    min_ms: round(times[0], 2),
    max_ms: round(times.at(-1), 2),
    yaml_parse_ms: round(yamlTimes[4], 2),
    engine_ms: round(Math.max(0, wall - yamlTimes[4]), 2),
    yaml_kb: round(text.length / 1024, 1),
    ...(target === undefined ? {} : {target_ms: target}),
  })
  const problems = rules === n ? [] : [`compiled ${rules} rules, expected ${n}`]
  if (!parsed) problems.push(`the YAML parse alone did not give a mapping: ${tree.error?.message ?? tree.root?.kind}`)
  return problems
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()

function main() {
const wanted = process.argv.slice(2)
const selected = (name) => wanted.length === 0 || wanted.includes(name)
const problems = []
for (const n of SIZES) {
  if (selected(`rules_${n}`)) problems.push(...benchRules(n, true))
  if (selected(`rules_${n}_nocache`)) problems.push(...benchRules(n, false))
}

for (const n of [1000, 10_000]) if (selected(`compile_${n}`)) problems.push(...benchCompile(n))
for (const p of problems) console.error(`policy.bench: WRONG: ${p}`)
process.exit(problems.length > 0 ? 1 : 0)
}
