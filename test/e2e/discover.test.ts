import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Inventory} from '../../src/discovery/types.js'
import {expectValidSarif} from '../helpers/sarif.js'
import {runCli, tempDir, writeTree} from '../helpers/tree.js'

const require = createRequire(import.meta.url)

// Fake credentials: right shapes, never real. Output must never contain them.
const GITHUB_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
const REPO_TOKEN = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'
const OPENAI_KEY = 'sk-proj-' + 'q8W2e4R6t8Y0u2I4o6P8a0S2d4F6g8H0j2K4l6Z8x0C2v4B6'

/** Where `value` is written in `file`, as a JSON string: 1-based line and column, as an editor shows it. */
function whereIs(file: string, value: string): {line: number; column: number} {
  const lines = readFileSync(file, 'utf8').split('\n')
  const line = lines.findIndex((l) => l.includes(JSON.stringify(value)))
  return {line: line + 1, column: lines[line].indexOf(JSON.stringify(value)) + 1}
}

describe('agentgov discover on a Linux home', () => {
  const dir = tempDir()
  const home = join(dir.path, 'home')
  const state = join(dir.path, 'state')
  const code = join(home, 'code')
  const env = {HOME: home, AGENTGOV_HOME: state, AGENTGOV_PLATFORM: 'linux'}
  let inventory: Inventory

  beforeAll(async () => {
    writeTree(home, {
      '.cursor/mcp.json': {
        mcpServers: {
          filesystem: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/']},
          github: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'], env: {GITHUB_PERSONAL_ACCESS_TOKEN: GITHUB_TOKEN}},
        },
      },
      '.claude.json': {
        numStartups: 3,
        mcpServers: {memory: {type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory@2025.4.25']}},
        projects: {[join(home, 'code', 'app')]: {mcpServers: {db: {command: 'uvx', args: ['mcp-server-sqlite', '--db', 'app.db']}}}},
      },
      '.config/Code/User/mcp.json': `{
  // Team servers
  "inputs": [{"id": "token", "type": "promptString", "password": true}],
  "servers": {
    "internal": {"type": "http", "url": "http://mcp.internal.example.com/mcp", "headers": {"Authorization": "Bearer \${input:token}"}},
  },
}
`,
      '.codex/config.toml': `# governed by agentgov
[mcp_servers.fs]
command = "node"
args = ["/opt/agentgov/bin/run.js", "proxy", "--agent", "codex", "--server", "fs", "--", "npx", "-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/tmp"]
`,
      '.gemini/settings.json': '{\n  "mcpServers": {\n    "x": {"command": "y",,}\n  }\n}\n',
      '.config/goose/config.yaml': `extensions:
  developer:
    type: builtin
    name: developer
    enabled: true
  fetch:
    type: stdio
    name: fetch
    cmd: uvx
    args: [mcp-server-fetch]
    enabled: true
`,
      'code/app/.mcp.json': {mcpServers: {gh: {command: 'docker', args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'], env: {GITHUB_TOKEN: REPO_TOKEN}}}},
      'code/app/package.json': {name: 'app', dependencies: {'@langchain/langgraph': '^0.2.0', '@modelcontextprotocol/sdk': '^1.0.0'}},
      'code/app/AGENTS.md': '# Agents\nUse pnpm.\n',
      'code/app/.env': `OPENAI_API_KEY=${OPENAI_KEY}\n`,
      // Decoys: a template inside a dependency is not a server, nor an agent.
      'code/app/node_modules/some-tool/.cursor/mcp.json': {mcpServers: {decoy: {command: 'evil'}}},
      'code/app/node_modules/some-tool/package.json': {name: 'some-tool', dependencies: {crewai: '1'}},
    })
    mkdirSync(join(code, 'app', '.git'), {recursive: true})
    writeTree(state, {'approved.yaml': 'servers:\n  - package: mcp-server-fetch\n    clients: [goose]\n'})
    const result = await runCli(['discover', code, '--json', '--no-processes'], env)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    inventory = JSON.parse(result.stdout) as Inventory
  })
  afterAll(() => dir.cleanup())

  const server = (name: string) => {
    const found = inventory.servers.find((s) => s.name === name)
    if (!found) throw new Error(`server ${name} not in inventory: ${inventory.servers.map((s) => s.name).join(', ')}`)
    return found
  }

  it('finds every server at every scope, and nothing inside node_modules', () => {
    expect(inventory.schema).toBe('agentgov.inventory/v2')
    expect(inventory.servers.map((s) => `${s.client}/${s.scope}/${s.name}`).sort()).toEqual([
      'claude-code/local/db',
      'claude-code/project/gh',
      'claude-code/user/memory',
      'codex/user/fs',
      'cursor/user/filesystem',
      'cursor/user/github',
      'goose/user/fetch',
      'vscode/user/internal',
    ])
    expect(server('db').project).toBe(join(home, 'code', 'app'))
    expect(JSON.stringify(inventory)).not.toContain('decoy')
  })

  it('tells governed, approved and shadow servers apart', () => {
    expect(server('fs')).toMatchObject({governance: 'governed', proxy: {agent: 'codex', server: 'fs'}})
    expect(server('fs').package).toMatchObject({ecosystem: 'npm', name: '@modelcontextprotocol/server-filesystem', pinned: true})
    expect(server('fetch').governance).toBe('approved')
    expect(server('filesystem').governance).toBe('shadow')
    expect(inventory.summary).toMatchObject({servers: 8, governed: 1, approved: 1, shadow: 6})
  })

  it('reports names of env vars and headers, never their values', () => {
    expect(server('github').envNames).toEqual(['GITHUB_PERSONAL_ACCESS_TOKEN'])
    expect(server('internal').headerNames).toEqual(['Authorization'])
    expect(JSON.stringify(inventory)).not.toContain(GITHUB_TOKEN)
    expect(JSON.stringify(inventory)).not.toContain(REPO_TOKEN)
    expect(JSON.stringify(inventory)).not.toContain(OPENAI_KEY)
  })

  it('raises each kind of finding with its file, line, fix and OWASP ids', () => {
    const rules = (rule: string) => inventory.findings.filter((f) => f.rule === rule)
    const [committed, userSecret] = [rules('secret-in-config').find((f) => f.file?.endsWith('.mcp.json')), rules('secret-in-config').find((f) => f.file?.endsWith('.cursor/mcp.json'))]
    // At the secret's own value, not at the server's entry.
    expect(committed).toMatchObject({severity: 'critical', ...whereIs(join(code, 'app', '.mcp.json'), REPO_TOKEN), key: 'mcpServers.gh', asi: ['ASI03'], mcp: ['MCP01']})
    expect(userSecret).toMatchObject({severity: 'high', ...whereIs(join(home, '.cursor', 'mcp.json'), GITHUB_TOKEN), key: 'mcpServers.github'})
    expect(rules('unpinned-package').map((f) => f.subject).sort()).toEqual([server('db').id, server('fetch').id, server('filesystem').id, server('gh').id].sort())
    expect(rules('plain-http-remote')).toHaveLength(1)
    expect(rules('broad-filesystem-root')[0].subject).toBe(server('filesystem').id)
    expect(rules('config-malformed')[0]).toMatchObject({file: join(home, '.gemini', 'settings.json'), line: 3})
    expect(rules('provider-key-in-env-file')[0]).toMatchObject({file: join(code, 'app', '.env'), line: 1})
    expect(rules('duplicate-server')[0].message).toContain('filesystem')
    expect(rules('shadow-server')).toHaveLength(6)
    for (const finding of inventory.findings) expect(finding.fix.length).toBeGreaterThan(10)
    // Sorted most severe first.
    expect(inventory.findings[0].severity).toBe('critical')
  })

  it('inventories the repository: frameworks, instruction files, env keys', () => {
    const repo = inventory.repositories.find((r) => r.path === join(code, 'app'))
    expect(repo?.frameworks.map((f) => f.framework).sort()).toEqual(expect.arrayContaining(['langgraph', 'mcp-sdk']))
    expect(repo?.frameworks.map((f) => f.framework)).not.toContain('crewai')
    expect(repo?.instructionFiles.map((f) => f.kind)).toEqual(['AGENTS.md'])
    expect(repo?.envFiles[0].keys[0]).toMatchObject({name: 'OPENAI_API_KEY', line: 1})
    expect(inventory.agents.map((a) => a.id)).toEqual(expect.arrayContaining(['client:cursor', 'client:claude-code', `repo:${join(code, 'app')}`]))
  })

  it('renders the human view grouped by client, with a summary line and no secret', async () => {
    const result = await runCli(['discover', code, '--no-processes'], env)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Cursor')
    expect(result.stdout).toContain('~/.cursor/mcp.json')
    expect(result.stdout).toMatch(/filesystem .*shadow/)
    expect(result.stdout).toMatch(/fs .*governed/)
    expect(result.stdout).toMatch(/8 MCP servers: 1 governed, 1 approved, 6 shadow/)
    expect(result.stdout).toContain('CRITICAL')
    expect(result.stdout).not.toContain(GITHUB_TOKEN)
    expect(result.stdout).not.toContain(REPO_TOKEN)
  })

  it('writes valid SARIF 2.1.0: repository-relative locations at the value, severities as code scanning reads them', async () => {
    const result = await runCli(['discover', code, '--no-processes', '--sarif'], env)
    expect(result.code).toBe(0)
    const sarif = JSON.parse(result.stdout)
    expectValidSarif(sarif)
    const run = sarif.runs[0]
    expect(run.tool.driver.name).toBe('agentgov')
    type Result = {level: string; ruleId: string; ruleIndex: number; properties: {severity: string}; partialFingerprints: Record<string, string>; locations: Array<{physicalLocation: object}>}
    const critical = run.results.find((r: Result) => r.ruleId === 'secret-in-config/critical')
    expect(critical).toMatchObject({level: 'error', properties: {severity: 'critical'}})
    const {line, column} = whereIs(join(code, 'app', '.mcp.json'), REPO_TOKEN)
    expect(critical.locations[0].physicalLocation).toEqual({artifactLocation: {uri: 'app/.mcp.json', uriBaseId: 'SRCROOT'}, region: {startLine: line, startColumn: column}})
    // GitHub takes the security severity from the rule: the critical result's rule says critical.
    const rules = run.tool.driver.rules as Array<{id: string; helpUri: string; properties: {'security-severity'?: string}}>
    expect(rules[critical.ruleIndex]).toMatchObject({id: 'secret-in-config/critical', properties: {'security-severity': '9.5'}})
    expect(rules.find((r) => r.id === 'secret-in-config')?.properties['security-severity']).toBe('8.0')
    const user = run.results.find((r: Result) => r.ruleId === 'secret-in-config')
    expect(user.locations[0].physicalLocation.artifactLocation.uri).toBe(`file://${join(home, '.cursor', 'mcp.json')}`)
    for (const r of run.results as Result[]) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId)
      expect(Object.values(r.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/)
    }

    expect(new Set(run.results.map((r: Result) => Object.values(r.partialFingerprints)[0])).size).toBe(run.results.length)
    for (const rule of rules) expect(rule.helpUri).toMatch(/\/docs\/findings\.md#[a-z-]+$/)
    expect(result.stdout).not.toContain(GITHUB_TOKEN)
    expect(result.stdout).not.toContain(REPO_TOKEN)
  })

  it('--fail-on exits 1 at or above the threshold and 0 below it', async () => {
    const failing = await runCli(['discover', code, '--no-processes', '--json', '--fail-on', 'critical'], env)
    expect(failing.code).toBe(1)
    expect(failing.stderr).toContain('at or above critical')
    expect(JSON.parse(failing.stdout).summary.findings.critical).toBe(1)

    const clean = tempDir()
    const passing = await runCli(['discover', clean.path, '--no-machine', '--no-processes', '--fail-on', 'info'], env)
    clean.cleanup()
    expect(passing.code).toBe(0)
  })
})

describe('agentgov discover on macOS and Windows layouts', () => {
  it('finds Claude Desktop, legacy VS Code settings and Zed under macOS paths', async () => {
    const dir = tempDir()
    const home = dir.path
    writeTree(home, {
      'Library/Application Support/Claude/claude_desktop_config.json': {mcpServers: {notes: {command: 'uvx', args: ['mcp-notes==1.0.0']}}},
      'Library/Application Support/Code/User/settings.json': '{\n  "editor.fontSize": 13,\n  "mcp": {"servers": {"legacy": {"command": "node", "args": ["server.js"]}}}\n}\n',
      '.config/zed/settings.json': '// zed\n{"context_servers": {"ctx": {"source": "custom", "command": {"path": "ctx-server", "args": ["--stdio"]}}}}\n',
      // A Linux path must not be picked up when scanning with macOS conventions.
      '.config/Claude/claude_desktop_config.json': {mcpServers: {wrongOs: {command: 'x'}}},
    })
    const result = await runCli(['discover', '--json', '--no-processes'], {HOME: home, AGENTGOV_HOME: join(home, 'state'), AGENTGOV_PLATFORM: 'darwin'})
    dir.cleanup()
    expect(result.code).toBe(0)
    const inventory = JSON.parse(result.stdout) as Inventory
    expect(inventory.servers.map((s) => `${s.client}/${s.name}`).sort()).toEqual(['claude-desktop/notes', 'vscode/legacy', 'zed/ctx'])
    expect(inventory.servers.find((s) => s.name === 'ctx')).toMatchObject({command: 'ctx-server', args: ['--stdio']})
  })

  it('finds Claude Desktop, VS Code and Goose under %APPDATA% on Windows', async () => {
    const dir = tempDir()
    const home = dir.path
    const appData = join(home, 'AppData', 'Roaming')
    writeTree(home, {
      'AppData/Roaming/Claude/claude_desktop_config.json': {mcpServers: {win: {command: 'npx.cmd', args: ['-y', 'mcp-win@1.0.0']}}},
      'AppData/Roaming/Code/User/mcp.json': {servers: {remote: {type: 'sse', url: 'https://example.com/sse'}}},
      'AppData/Roaming/Block/goose/config/config.yaml': 'extensions:\n  gh:\n    type: streamable_http\n    uri: https://api.example.com/mcp\n    enabled: false\n',
    })
    const result = await runCli(['discover', '--json', '--no-processes'], {HOME: home, APPDATA: appData, AGENTGOV_HOME: join(home, 'state'), AGENTGOV_PLATFORM: 'win32'})
    dir.cleanup()
    expect(result.code).toBe(0)
    const inventory = JSON.parse(result.stdout) as Inventory
    expect(inventory.servers.map((s) => `${s.client}/${s.name}/${s.transport}`).sort()).toEqual(['claude-desktop/win/stdio', 'goose/gh/http', 'vscode/remote/sse'])
    expect(inventory.servers.find((s) => s.name === 'gh')?.enabled).toBe(false)
    expect(inventory.host.platform).toBe('win32')
  })
})

describe('agentgov discover errors', () => {
  const state = tempDir()
  afterAll(() => state.cleanup())

  it('a missing path is one sentence on stderr and exit 3', async () => {
    const result = await runCli(['discover', '/no/such/dir', '--no-machine', '--no-processes'], {HOME: state.path, AGENTGOV_HOME: state.path})
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/^agentgov: Cannot scan \/no\/such\/dir: no such directory\.\n/)
    expect(result.stdout).toBe('')
  })

  it('a bad flag value exits 2 and says how to get help', async () => {
    const result = await runCli(['discover', '--fail-on', 'extreme'], {HOME: state.path, AGENTGOV_HOME: state.path})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('extreme')
    expect(result.stderr).toContain('--help')
  })

  it('a broken approved inventory names the file and line, exit 3', async () => {
    writeTree(state.path, {'bad.yaml': 'servers:\n  - name: ok\n  - colour: blue\n'})
    const result = await runCli(['discover', '--no-machine', '--no-processes', '--approved', join(state.path, 'bad.yaml')], {HOME: state.path, AGENTGOV_HOME: state.path})
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('bad.yaml:3: unknown field "colour"')
  })
})

describe('agentgov discover side effects and live processes', () => {
  it('changes no file in the home it scans, and does not create its own state directory', async () => {
    const dir = tempDir()
    const home = join(dir.path, 'home')
    writeTree(home, {'.cursor/mcp.json': {mcpServers: {a: {command: 'npx', args: ['-y', 'pkg']}}}, 'code/r/.vscode/mcp.json': '{"servers": {}}'})
    const before = snapshot(home)
    const result = await runCli(['discover', join(home, 'code'), '--no-processes'], {HOME: home, AGENTGOV_HOME: join(dir.path, 'state')})
    expect(result.code).toBe(0)
    expect(snapshot(home)).toEqual(before)
    expect(existsSync(join(dir.path, 'state'))).toBe(false)
    dir.cleanup()
  })

  it('finds a running MCP server process, with its client, and prints errors as JSON under --json', async () => {
    const dir = tempDir()
    // The real filesystem server over stdio, as a client would launch it; it runs until stdin closes.
    const server = spawn(process.execPath, [require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'), dir.path], {stdio: ['pipe', 'pipe', 'pipe']})
    await new Promise((resolve) => server.stderr.once('data', resolve))
    try {
      const result = await runCli(['discover', '--json', '--no-machine'], {HOME: dir.path, AGENTGOV_HOME: dir.path})
      expect(result.code).toBe(0)
      const inventory = JSON.parse(result.stdout) as Inventory
      expect(inventory.scanned.processes).toBe(true)
      const found = inventory.processes.find((p) => p.pid === server.pid)
      expect(found).toMatchObject({kind: 'mcp-server', governed: false})
      expect(found?.command).toContain('server-filesystem')
    } finally {
      server.kill()
      dir.cleanup()
    }

    const error = await runCli(['discover', '/no/such/dir', '--json'], {HOME: '/nonexistent'})
    expect(error.code).toBe(3)
    expect(JSON.parse(error.stdout)).toEqual({error: {message: 'Cannot scan /no/such/dir: no such directory.', hint: 'Pass an existing repository or folder.'}})
  })

  it('--sarif leaves a process finding out (code scanning would reject the log) and says so on stderr', async () => {
    const dir = tempDir()
    // A real server whose command line carries a token: its allowed directory is named by it.
    const root = join(dir.path, GITHUB_TOKEN)
    mkdirSync(root)
    const server = spawn(process.execPath, [require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'), root], {stdio: ['pipe', 'pipe', 'pipe']})
    await new Promise((resolve) => server.stderr.once('data', resolve))
    try {
      const env = {HOME: dir.path, AGENTGOV_HOME: dir.path}
      const inventory = JSON.parse((await runCli(['discover', '--json', '--no-machine'], env)).stdout) as Inventory
      expect(inventory.findings.find((f) => f.rule === 'secret-in-process' && f.subject === String(server.pid))).toBeDefined()
      const result = await runCli(['discover', '--sarif', '--no-machine'], env)
      expect(result.code).toBe(0)
      const sarif = JSON.parse(result.stdout) as {runs: Array<{results: Array<{ruleId: string}>}>}
      expectValidSarif(sarif)
      expect(sarif.runs[0].results.filter((r) => r.ruleId.startsWith('secret-in-process'))).toEqual([])
      expect(result.stderr).toMatch(/agentgov: \d+ finding\(s\) about running processes are not in the SARIF log/)
      expect(result.stdout).not.toContain(GITHUB_TOKEN)
    } finally {
      server.kill()
      dir.cleanup()
    }
  })
})

function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of readdirSync(root, {recursive: true, withFileTypes: true})) {
    const path = join(entry.parentPath, entry.name)
    if (entry.isFile()) files[path] = `${statSync(path).mtimeMs}:${readFileSync(path, 'utf8')}`
  }

  return files
}
