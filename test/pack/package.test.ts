import {execFile, execFileSync} from 'node:child_process'
import {chmodSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {delimiter, dirname, join} from 'node:path'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {SERVERS} from '../helpers/mcp.js'
import {expectValidSarif} from '../helpers/sarif.js'
import {type RunResult, tempDir, writeTree} from '../helpers/tree.js'

const ROOT = join(import.meta.dirname, '..', '..')
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}).version
const NODE_DIR = dirname(process.execPath)

const POLICY = `version: 1
policies:
  - name: pack
    agent: "*"
    rules:
      - id: no-logging-toggle
        tools: [toggle-simulated-logging]
        action: deny
        reason: not from the package test
      - id: everything-else
        tools: ["*"]
        action: allow
`

const CASES = `cases:
  - name: echo is allowed
    agent: ci
    tool: everything.echo
    args: {message: hi}
    expect: allow
  - name: the toggle is denied
    agent: ci
    tool: everything.toggle-simulated-logging
    expect: deny
`

function run(command: string, args: string[], env: Record<string, string>, cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, {cwd, env: {CI: 'true', FORCE_COLOR: '0', ...env}, maxBuffer: 32 * 1024 * 1024}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr})
    })
  })
}

/**
 * The published package, as a user gets it: `npm pack` (prepack builds), then `npm install -g` of
 * the tarball into an empty prefix, its dependencies from the registry, and the installed
 * `agentgov` run with a PATH that holds only node and that prefix (never this checkout).
 */
describe('the packed tarball, installed into an empty prefix', () => {
  const dir = tempDir('agentgov-pack-')
  const prefix = join(dir.path, 'prefix')
  const bin = join(prefix, 'bin', 'agentgov')
  const home = join(dir.path, 'home')
  const state = join(dir.path, 'state')
  const repo = join(dir.path, 'repo')
  let files: string[] = []
  let env: Record<string, string>

  beforeAll(() => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir.path], {cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']})) as Array<{filename: string; files: Array<{path: string}>}>
    files = packed[0].files.map((f) => f.path)
    const tarball = join(dir.path, packed[0].filename)
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {stdio: ['ignore', 'ignore', 'inherit']})
    env = {PATH: [join(prefix, 'bin'), NODE_DIR, '/usr/bin', '/bin'].join(delimiter), HOME: home, AGENTGOV_HOME: state, AGENTGOV_PLATFORM: 'linux', OTEL_SDK_DISABLED: 'true'}
    writeTree(home, {'.cursor/mcp.json': {mcpServers: {everything: {command: process.execPath, args: [SERVERS.everything, 'stdio']}}}})
    writeTree(state, {'policy.yaml': POLICY})
    writeTree(repo, {
      '.mcp.json': {mcpServers: {everything: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything']}}},
      'agentgov.yaml': POLICY,
      'policy.cases.yaml': CASES,
    })
  })

  afterAll(() => dir.cleanup())

  it('holds the build, the oclif manifest, the licence and the docs', () => {
    for (const path of ['bin/run.js', 'dist/commands/proxy.js', 'dist/src/proxy/fast-start.js', 'oclif.manifest.json', 'LICENSE', 'README.md', 'docs/policy.md', 'docs/wrap.md', 'templates']) {
      expect(files.some((f) => f === path || f.startsWith(`${path}/`)), path).toBe(true)
    }

    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/'))).toBe(false)
    expect(readFileSync(join(prefix, 'lib', 'node_modules', 'agentgov', 'LICENSE'), 'utf8')).toContain('Apache License')
  })

  it('agentgov --version names the packed version', async () => {
    const result = await run(bin, ['--version'], env)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`agentgov/${VERSION}`)
  })

  it('agentgov discover finds the configured server', async () => {
    const result = await run(bin, ['discover', '--no-processes', '--json'], env)
    expect(result.code, result.stderr).toBe(0)
    const inventory = JSON.parse(result.stdout) as {servers: Array<{name: string; client: string}>}
    expect(inventory.servers.map((s) => `${s.client}:${s.name}`)).toContain('cursor:everything')
  })

  it('agentgov proxy carries a real server: the SDK client gets an answer, a denied tool is withheld', async () => {
    const transport = new StdioClientTransport({command: bin, args: ['proxy', '--agent', 'pack', '--server', 'everything', '--', process.execPath, SERVERS.everything, 'stdio'], env, stderr: 'pipe'})
    const client = new Client({name: 'pack-test', version: '1.0.0'})
    await client.connect(transport)
    try {
      const echo = await client.callTool({name: 'echo', arguments: {message: 'from the tarball'}})
      expect(JSON.stringify(echo.content)).toContain('Echo: from the tarball')
      const toggle = await client.callTool({name: 'toggle-simulated-logging', arguments: {}}).catch((error: unknown) => ({isError: true, content: String(error)}))
      // A denied tool is hidden from the list, and a call to it is refused by the proxy.
      expect(toggle.isError).toBe(true)
      const names = (await client.listTools()).tools.map((t) => t.name)
      expect(names).toContain('echo')
      expect(names).not.toContain('toggle-simulated-logging')
    } finally {
      await client.close()
    }
  })

  it('agentgov report reads the decisions the installed proxy recorded', async () => {
    const result = await run(bin, ['report', '--owasp', '--format', 'json'], env)
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as {summary: {decisions: number; denials: number}}
    expect(report.summary.decisions).toBeGreaterThanOrEqual(2)
    expect(report.summary.denials).toBeGreaterThanOrEqual(1)
  })

  /**
   * The CI gates run `npx -y agentgov@<version> …`: a stand-in `npx` first on PATH accepts exactly
   * that (so a pin that drifts from package.json fails here) and runs the installed package.
   */
  function gateEnv(): Record<string, string> {
    const shim = join(dir.path, 'shim')
    mkdirSync(shim, {recursive: true})
    writeFileSync(
      join(shim, 'npx'),
      `#!/bin/sh\nif [ "$1" = "-y" ] && [ "$2" = "agentgov@${VERSION}" ]; then shift 2; exec ${JSON.stringify(bin)} "$@"; fi\necho "npx stand-in: unexpected $*" >&2; exit 99\n`,
    )
    chmodSync(join(shim, 'npx'), 0o755)
    return {...env, PATH: `${shim}${delimiter}${env.PATH}`}
  }

  it("action.yml's steps run against the package: discover writes SARIF, policy test passes", async () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, {default: string}>
      runs: {steps: Array<{run?: string; env?: Record<string, string>}>}
    }
    expect(action.inputs.version.default).toBe(VERSION)
    const inputs: Record<string, string> = {...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), policy: 'agentgov.yaml', cases: 'policy.cases.yaml'}
    const steps = action.runs.steps.filter((s) => s.run)
    expect(steps).toHaveLength(2)
    for (const step of steps) {
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replaceAll(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => inputs[name])]))
      const result = await run('bash', ['-c', step.run!], {...gateEnv(), ...stepEnv}, repo)
      // The repository's .mcp.json runs an unpinned npx server: a finding, below --fail-on high.
      expect(result.code, `${step.run}\n${result.stderr}`).toBe(0)
    }

    const sarif = JSON.parse(readFileSync(join(repo, 'agentgov.sarif'), 'utf8')) as {version: string; runs: Array<{results: unknown[]}>}
    expectValidSarif(sarif)
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results.length).toBeGreaterThan(0)
  })

  it('.pre-commit-hooks.yaml entries run against the package, and fail on a broken policy', async () => {
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{id: string; entry: string; pass_filenames?: boolean}>
    expect(hooks.map((h) => h.id)).toEqual(['agentgov-discover', 'agentgov-policy-lint'])
    writeFileSync(join(repo, 'broken.yaml'), 'version: 1\npolicies:\n  - name: x\n    rules: [{id: r, action: maybe}]\n')
    for (const hook of hooks) {
      // pre-commit appends the staged file names unless pass_filenames is false.
      const names = hook.pass_filenames === false ? '' : ' agentgov.yaml'
      const result = await run('bash', ['-c', hook.entry + names], gateEnv(), repo)
      expect(result.code, `${hook.id}\n${result.stderr}`).toBe(0)
    }

    const lint = hooks.find((h) => h.id === 'agentgov-policy-lint')!
    const broken = await run('bash', ['-c', `${lint.entry} agentgov.yaml broken.yaml`], gateEnv(), repo)
    expect(broken.code).toBe(3)
  })
})
