#!/usr/bin/env node
// The official MCP conformance suite (@modelcontextprotocol/conformance, server scenarios, suite
// "all") against agentgov's own conformance test server (test/conformance/server.mjs).
//
//   npm run conformance                      the server directly
//   npm run conformance -- --via-proxy       through `agentgov proxy --listen` (the HTTP face) in front
//                                            of the server, allow-all policy (needs `npm run build`)
//   npm run conformance -- --compare         both; fails when a scenario that passes directly fails
//                                            through the proxy
//   npm run conformance -- --url URL [--token T]   a target someone else started (e.g. a proxy face)
//   --scenario NAME (repeatable) runs only those scenarios.
// Env: CONFORMANCE_VIA_PROXY=1, CONFORMANCE_URL, CONFORMANCE_TOKEN; CONFORMANCE_NODE = a node >= 22
// (default: the one scripts/setup-node24.sh installs into .cache/).
//
// Prints one JSON line per run ({"conformance": {...}}) and a human summary on stderr. Exit 0 when
// every scenario passed (or, with --compare, every direct pass also passed through the proxy), 1 if not.
import {execFileSync, spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request as httpRequest, createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SUITE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js')
const ALLOW_ALL = `version: 1
settings:
  loop_detection: false
policies:
  - name: conformance
    agent: "*"
    rules:
      - id: allow-all
        tools: ["*"]
        action: allow
`

const args = process.argv.slice(2)
const flag = (name) => args.includes(`--${name}`)
const value = (name) => {
  const at = args.indexOf(`--${name}`)
  return at === -1 ? undefined : args[at + 1]
}
const scenarios = args.flatMap((arg, index) => (arg === '--scenario' ? [args[index + 1]] : []))
const children = []
const work = mkdtempSync(join(tmpdir(), 'agentgov-conformance-'))

const removeWork = () => {
  try {
    rmSync(work, {recursive: true, force: true})
  } catch {
    // A child still writing its state there; the OS's temp cleaning takes the rest.
  }
}
process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM')
  removeWork()
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130))

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 2
}
// Stopping the servers lets node exit once stdout is flushed (process.exit could cut a piped line).
await Promise.all(children.filter((child) => child.exitCode === null && child.signalCode === null).map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))))
removeWork()

async function main() {
  const node = conformanceNode()
  const externalUrl = value('url') ?? process.env.CONFORMANCE_URL
  if (externalUrl) {
    const run = await runSuite(node, 'given-url', await withToken(externalUrl, value('token') ?? process.env.CONFORMANCE_TOKEN))
    return run.failed.length === 0 ? 0 : 1
  }

  const server = await startServer()
  const modes = flag('compare') ? ['direct', 'proxy'] : [flag('via-proxy') || process.env.CONFORMANCE_VIA_PROXY === '1' ? 'proxy' : 'direct']
  const runs = {}
  for (const mode of modes) {
    const url = mode === 'direct' ? server : await withToken(...(await startProxy(server)))
    runs[mode] = await runSuite(node, mode, url)
  }
  if (!flag('compare')) return runs[modes[0]].failed.length === 0 ? 0 : 1
  const lost = runs.direct.passed.filter((name) => !runs.proxy.passed.includes(name))
  console.log(JSON.stringify({conformanceCompare: {directPassed: runs.direct.passed.length, proxyPassed: runs.proxy.passed.length, lostThroughProxy: lost}}))
  process.stderr.write(lost.length === 0 ? 'Every scenario that passes directly also passes through the proxy.\n' : `Pass directly but fail through the proxy: ${lost.join(', ')}\n`)
  return lost.length === 0 ? 0 : 1
}

/** A node >= 22 for the suite's CLI: CONFORMANCE_NODE, or the project-local one from setup-node24.sh. */
function conformanceNode() {
  const node = process.env.CONFORMANCE_NODE ?? execFileSync(join(ROOT, 'scripts', 'setup-node24.sh'), {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']}).trim()
  const major = Number(execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], {encoding: 'utf8'}).trim())
  if (!(major >= 22)) throw new Error(`${node} is node ${major}; the conformance CLI needs node 22 or newer (set CONFORMANCE_NODE).`)
  return node
}

/** Start a process and resolve with the first match of `ready` on its stderr. */
function startUntil(command, commandArgs, env, ready, label) {
  const child = spawn(command, commandArgs, {env: {PATH: process.env.PATH ?? '', ...env}, stdio: ['ignore', 'ignore', 'pipe']})
  children.push(child)
  let stderr = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start: ${stderr}`)), 20_000)
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}: ${stderr}`)))
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString()
      const found = ready.exec(stderr)
      if (found) {
        clearTimeout(timer)
        resolve(found[1])
      }
    })
  })
}

function startServer() {
  return startUntil(process.execPath, [join(ROOT, 'test', 'conformance', 'server.mjs')], {}, /listening on (http:\S+)/, 'the conformance server')
}

/** `agentgov proxy --listen` (the HTTP face) in front of the server, allow-all, its own state dir and token. */
async function startProxy(upstream) {
  const home = join(work, 'proxy-home')
  mkdirSync(home, {recursive: true})
  const policy = join(home, 'policy.yaml')
  writeFileSync(policy, ALLOW_ALL)
  const tokens = join(home, 'tokens.json')
  const {addToken} = await import(join(ROOT, 'dist', 'src', 'proxy', 'tokens.js')).catch(() => {
    throw new Error('dist/ is missing or stale: run `npm run build` before --via-proxy.')
  })
  const token = addToken(tokens, 'conformance')
  const face = await startUntil(
    process.execPath,
    [join(ROOT, 'bin', 'run.js'), 'proxy', '--server', 'conformance', '--policy', policy, '--tokens', tokens, '--listen', '127.0.0.1:0', '--upstream-url', upstream],
    {AGENTGOV_HOME: home, HOME: home, OTEL_SDK_DISABLED: 'true'},
    /listening on (http:\S+)/,
    'agentgov proxy --listen',
  )
  return [face, token]
}

/**
 * The suite cannot send an Authorization header, so a token-protected URL gets a pass-through relay
 * on loopback that adds `Authorization: Bearer <token>` and changes nothing else (Host and Origin
 * included, so the target's own DNS-rebinding check still sees what the suite sent).
 */
async function withToken(url, token) {
  if (!token) return url
  const target = new URL(url)
  const relay = createServer((req, res) => {
    const upstream = httpRequest({host: target.hostname, port: target.port, method: req.method, path: req.url, headers: {...req.headers, authorization: `Bearer ${token}`}}, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    res.on('close', () => upstream.destroy())
    req.pipe(upstream)
  })
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve))
  relay.unref()
  return `http://127.0.0.1:${relay.address().port}${target.pathname}${target.search}`
}

/** Run the suite; a scenario passes when none of its checks is a FAILURE (warnings are counted apart). */
async function runSuite(node, mode, url) {
  const out = join(work, `results-${mode}`)
  const list = scenarios.length > 0 ? scenarios : allServerScenarios(node)
  const started = Date.now()
  const passed = []
  const failed = []
  const checks = {success: 0, failure: 0, warning: 0}
  for (const scenario of list) {
    const dir = join(out, scenario)
    await new Promise((resolve) => {
      const child = spawn(node, [SUITE, 'server', '--url', url, '--scenario', scenario, '-o', dir], {stdio: ['ignore', 'ignore', 'ignore'], cwd: work})
      children.push(child)
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
      child.once('exit', () => (clearTimeout(timer), resolve()))
    })
    const results = readChecks(dir)
    for (const check of results) {
      if (check.status === 'SUCCESS') checks.success++
      else if (check.status === 'FAILURE') checks.failure++
      else if (check.status === 'WARNING') checks.warning++
    }
    const failures = results.filter((check) => check.status === 'FAILURE')
    if (results.length > 0 && failures.length === 0) passed.push(scenario)
    else failed.push({scenario, why: failures.map((check) => check.errorMessage ?? check.description).join('; ') || 'no checks recorded (the scenario did not finish)'})
  }
  const summary = {mode, url, scenarios: list.length, passed: passed.length, failed: failed.map((f) => f.scenario), checks, seconds: Math.round((Date.now() - started) / 100) / 10}
  console.log(JSON.stringify({conformance: summary}))
  process.stderr.write(`conformance (${mode}): ${passed.length}/${list.length} scenarios pass; checks ${checks.success} passed, ${checks.failure} failed, ${checks.warning} warnings\n`)
  for (const {scenario, why} of failed) process.stderr.write(`  ✗ ${scenario}: ${why}\n`)
  return {passed, failed: failed.map((f) => f.scenario)}
}

function allServerScenarios(node) {
  const listing = execFileSync(node, [SUITE, 'list', '--server'], {encoding: 'utf8'})
  return [...listing.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1])
}

function readChecks(dir) {
  let entries
  try {
    entries = readdirSync(dir)
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    try {
      return JSON.parse(readFileSync(join(dir, entry, 'checks.json'), 'utf8'))
    } catch {
      return []
    }
  })
}
