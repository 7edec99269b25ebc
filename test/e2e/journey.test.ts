import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {getIn} from '../../src/clients/server-map.js'
import {type ConfigFormat, parseConfig} from '../../src/config/document.js'
import type {Inventory} from '../../src/discovery/types.js'
import {SERVERS} from '../helpers/mcp.js'
import {attrs, startReceiver} from '../helpers/otlp-receiver.js'
import {runCli, runInTerminal, tempDir} from '../helpers/tree.js'

interface Entry {
  label: string
  file: string
  format: ConfigFormat
  path: string[]
  /** The server's name in its config: the policy's tool prefix. */
  server: string
  kind: 'filesystem' | 'everything'
}

const text = (result: unknown) => ((result as {content?: Array<{text?: string}>}).content ?? []).map((c) => c.text ?? '').join('')

/**
 * The user's journey of issue 8 on a fresh home: discover, policy init and one edit, wrap, every
 * wrapped entry launched exactly as its client launches it, OTLP, traces verify, report, unwrap.
 */
describe('a new user\'s whole journey', () => {
  const dir = tempDir('agentgov-journey-')
  const home = join(dir.path, 'home')
  const state = join(dir.path, 'state')
  const work = join(dir.path, 'work')
  const repo = join(home, 'code', 'api')
  const policyFile = join(state, 'policy.yaml')
  const env = {HOME: home, AGENTGOV_HOME: state, AGENTGOV_PLATFORM: 'linux'}
  const node = JSON.stringify(process.execPath)
  const fs = JSON.stringify(SERVERS.filesystem)
  const everything = JSON.stringify(SERVERS.everything)
  const entries: Entry[] = [
    {label: 'Cursor', file: join(home, '.cursor', 'mcp.json'), format: 'jsonc', path: ['mcpServers', 'fs'], server: 'fs', kind: 'filesystem'},
    {label: 'Claude Code (user)', file: join(home, '.claude.json'), format: 'json', path: ['mcpServers', 'everything'], server: 'everything', kind: 'everything'},
    {label: 'Claude Code (project)', file: join(repo, '.mcp.json'), format: 'json', path: ['mcpServers', 'files'], server: 'files', kind: 'filesystem'},
    {label: 'VS Code', file: join(home, '.config', 'Code', 'User', 'mcp.json'), format: 'jsonc', path: ['servers', 'vsfs'], server: 'vsfs', kind: 'filesystem'},
    {label: 'Codex', file: join(home, '.codex', 'config.toml'), format: 'toml', path: ['mcp_servers', 'ev'], server: 'ev', kind: 'everything'},
  ]
  const originals = new Map<string, string>()
  let receiver: Awaited<ReturnType<typeof startReceiver>>

  beforeAll(async () => {
    receiver = await startReceiver()
    mkdirSync(work, {recursive: true})
    writeFileSync(join(work, 'notes.txt'), 'hello from the workspace\n')
    writeFileSync(join(work, 'loop.txt'), 'read me again and again\n')
    mkdirSync(join(repo, '.git'), {recursive: true})
    const files: Record<string, string> = {
      [entries[0].file]: `{\n  "mcpServers": {\n    "fs": {"command": ${node}, "args": [${fs}, ${JSON.stringify(work)}]}\n  }\n}\n`,
      [entries[1].file]: `{\n  "numStartups": 12,\n  "mcpServers": {\n    "everything": {"type": "stdio", "command": ${node}, "args": [${everything}, "stdio"], "env": {}}\n  }\n}\n`,
      [entries[2].file]: `{\n  "mcpServers": {\n    "files": {"command": ${node}, "args": [${fs}, ${JSON.stringify(work)}]}\n  }\n}\n`,
      [entries[3].file]: `// VS Code user MCP servers\n{\n  "inputs": [{"type": "promptString", "id": "token", "description": "API token", "password": true}],\n  "servers": {\n    "vsfs": {\n      "type": "stdio",\n      "command": ${node},\n      "args": [${fs}, ${JSON.stringify(work)}], // the workspace\n      "env": {"API_TOKEN": "\${input:token}"},\n    },\n  },\n}\n`,
      [entries[4].file]: `# Codex CLI\nmodel = "o4-mini"\n\n[mcp_servers.ev]\ncommand = ${node}\nargs = [${everything}, "stdio"]\n`,
    }
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(join(file, '..'), {recursive: true})
      writeFileSync(file, content)
      originals.set(file, content)
    }
  })
  afterAll(async () => {
    await receiver?.close()
    dir.cleanup()
  })

  /** Launch one wrapped entry the way its client does: its command, args and env, no inherited PATH. */
  async function launch(entry: Entry): Promise<{client: Client; stderr: () => string}> {
    const raw = getIn(parseConfig(readFileSync(entry.file, 'utf8'), entry.format).value, entry.path) as {command: string; args?: string[]; env?: Record<string, string>}
    // VS Code expands its inputs before it spawns the server; this stands in for the prompt.
    const expanded = Object.fromEntries(Object.entries(raw.env ?? {}).map(([k, v]) => [k, v.replace('${input:token}', 'typed-by-the-user')]))
    const transport = new StdioClientTransport({
      command: raw.command,
      args: raw.args ?? [],
      env: {HOME: home, AGENTGOV_HOME: state, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'agentgov-journey', ...expanded},
      stderr: 'pipe',
    })
    let stderr = ''
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const client = new Client({name: entry.label, version: '1.0.0'})
    await client.connect(transport)
    return {client, stderr: () => stderr}
  }

  /** The person's side: find the held call in `agentgov approvals --json`, answer it at a terminal. */
  async function answerFromApprovals(tool: string, answer: 'approve' | 'deny' = 'approve'): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const listed = await runCli(['approvals', '--json'], env)
      const pending = (JSON.parse(listed.stdout || '{"approvals":[]}') as {approvals: Array<{id: string; tool: string; status: string}>}).approvals.find(
        (a) => a.tool === tool && a.status === 'pending',
      )
      if (pending) {
        const answered = await runInTerminal([answer, pending.id], env)
        expect(answered.code, answered.output).toBe(0)
        return pending.id
      }

      await new Promise((resolve) => setTimeout(resolve, 100))
    }

    throw new Error(`no pending approval for ${tool}`)
  }

  it('1. discover lists every server as shadow, with its findings', async () => {
    const result = await runCli(['discover', repo, '--no-processes', '--json'], env)
    expect(result.code, result.stderr).toBe(0)
    writeFileSync(join(dir.path, 'inventory.json'), result.stdout)
    const inventory = JSON.parse(result.stdout) as Inventory
    const seen = inventory.servers.map((s) => `${s.client}:${s.scope}:${s.name}:${s.governance}`).sort()
    expect(seen).toEqual(['claude-code:project:files:shadow', 'claude-code:user:everything:shadow', 'codex:user:ev:shadow', 'cursor:user:fs:shadow', 'vscode:user:vsfs:shadow'])
    const shadowFindings = inventory.findings.filter((f) => f.rule === 'shadow-server')
    expect(shadowFindings).toHaveLength(5)
    expect(inventory.findings.map((f) => f.rule)).toContain('duplicate-server')
    // env names only: the VS Code input reference is never printed as a value.
    expect(inventory.servers.find((s) => s.name === 'vsfs')?.envNames).toEqual(['API_TOKEN'])
  })

  it('2. policy init writes a starter policy that lints clean; the user edits one rule', async () => {
    const init = await runCli(['policy', 'init', '--inventory', join(dir.path, 'inventory.json'), '--output', policyFile], env)
    expect(init.code, init.stderr).toBe(0)
    let policy = readFileSync(policyFile, 'utf8')
    for (const server of entries.map((e) => e.server)) expect(policy).toContain(`${server}.`)
    // The edit: moves inside the Cursor workspace are denied instead of asked about. With a condition
    // the tool stays listed, so the agent reads the reason (a tool denied outright is hidden).
    const before = `      - id: fs-destructive
        tools: [fs.move_file]
        action: human_approval
        reason: "fs: destructive tools need a person's approval"`
    expect(policy).toContain(before)
    policy = policy.replace(before, `      - id: fs-destructive
        tools: [fs.move_file]
        when: {arg: source, under: "${work}"}
        action: deny
        reason: "Agents never move or delete files in this workspace."`)
    // A tighter loop guard than the default (3 in 10 s) so the test need not race a clock.
    policy = policy.replace(/loop_detection: \{[^}]*\}/, 'loop_detection: {enabled: true, max: 2, window: 60s}')
    writeFileSync(policyFile, policy)
    const lint = await runCli(['policy', 'lint', policyFile], env)
    expect(lint.code, lint.stdout + lint.stderr).toBe(0)
  })

  it('3. wrap --all (and the project file); discover now shows every server governed', async () => {
    const all = await runCli(['wrap', '--all', '--policy', policyFile, '--json'], env)
    expect(all.code, all.stdout + all.stderr).toBe(0)
    // --all reads the machine's configs; a project's .mcp.json is named by path.
    // A project file gets `npx -y agentgov@<version>` by default, which a test cannot fetch (this
    // version is not on the registry): launch it from this checkout instead (test/e2e/wrap-doctor checks the npx form).
    const project = await runCli(['wrap', entries[2].file, '--policy', policyFile, '--launch', 'absolute', '--json'], env)
    expect(project.code, project.stdout + project.stderr).toBe(0)
    for (const entry of entries) expect(readFileSync(entry.file, 'utf8')).not.toBe(originals.get(entry.file))
    const after = JSON.parse((await runCli(['discover', repo, '--no-processes', '--json'], env)).stdout) as Inventory
    expect(after.servers).toHaveLength(5)
    expect(after.servers.every((s) => s.governance === 'governed')).toBe(true)
    expect(after.findings.some((f) => f.rule === 'shadow-server')).toBe(false)
  })

  for (const index of [0, 2, 3]) {
    it(`4. ${entries[index].label}: reads allowed, a write waits for a person and is approved from agentgov approvals`, async () => {
      const entry = entries[index]
      const {client} = await launch(entry)
      try {
        expect(text(await client.callTool({name: 'read_text_file', arguments: {path: join(work, 'notes.txt')}}))).toBe('hello from the workspace\n')
        const target = join(work, `${entry.server}-approved.txt`)
        const write = client.callTool({name: 'write_file', arguments: {path: target, content: `approved for ${entry.label}`}})
        await answerFromApprovals('write_file')
        expect((await write).isError).toBeFalsy()
        expect(readFileSync(target, 'utf8')).toBe(`approved for ${entry.label}`)
      } finally {
        await client.close()
      }
    })
  }

  for (const index of [1, 4]) {
    it(`4. ${entries[index].label}: the everything server answers a read; a person's deny stops the rest`, async () => {
      const {client} = await launch(entries[index])
      try {
        expect(text(await client.callTool({name: 'echo', arguments: {message: 'governed'}}))).toBe('Echo: governed')
        const held = client.callTool({name: 'toggle-simulated-logging', arguments: {}})
        const id = await answerFromApprovals('toggle-simulated-logging', 'deny')
        const result = await held
        expect(result.isError).toBe(true)
        expect(text(result)).toContain('Not approved')
        const listed = JSON.parse((await runCli(['approvals', '--all', '--json'], env)).stdout) as {approvals: Array<{id: string; status: string}>}
        expect(listed.approvals.find((a) => a.id === id)?.status).toBe('denied')
      } finally {
        await client.close()
      }
    })
  }

  it('4. Cursor: a move is denied with its reason, a looped call is stopped', async () => {
    const {client} = await launch(entries[0])
    try {
      const move = await client.callTool({name: 'move_file', arguments: {source: join(work, 'notes.txt'), destination: join(work, 'gone.txt')}})
      expect(move.isError).toBe(true)
      expect(text(move)).toBe('Denied by agentgov policy (rule fs-destructive): Agents never move or delete files in this workspace.')
      expect(existsSync(join(work, 'notes.txt'))).toBe(true)

      const read = () => client.callTool({name: 'read_text_file', arguments: {path: join(work, 'loop.txt')}})
      expect((await read()).isError).toBeFalsy()
      expect((await read()).isError).toBeFalsy()
      const looped = await read()
      expect(looped.isError).toBe(true)
      expect(text(looped)).toMatch(/loop/i)
    } finally {
      await client.close()
    }
  })

  it('4. Cursor: a tool whose definition changed since it was pinned is hidden and refused', async () => {
    const pinFile = join(state, 'pins', 'fs.json')
    const pins = JSON.parse(readFileSync(pinFile, 'utf8'))
    pins.tools.list_directory.hash = 'f'.repeat(64)
    writeFileSync(pinFile, JSON.stringify(pins))
    const {client, stderr} = await launch(entries[0])
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('list_directory')
      const blocked = await client.callTool({name: 'list_directory', arguments: {path: work}})
      expect(text(blocked)).toContain('changed since it was pinned')
      expect(stderr()).toContain('possible rug pull')
    } finally {
      await client.close()
    }
  })

  it('5. spans reached a real OTLP receiver, and agentgov traces verify passes', async () => {
    const wanted = ['fs-destructive', 'tool-pinning', 'fs-write', 'ev-read', 'writes']
    const rules = () => new Set(receiver.spans.filter((s) => s.name === 'agt.policy.evaluate').map((s) => attrs(s.attributes)['agt.policy.rule']))
    for (let i = 0; i < 50 && !wanted.every((rule) => rules().has(rule)); i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect([...rules()]).toEqual(expect.arrayContaining(wanted))
    const agents = new Set(receiver.spans.map((s) => attrs(s.attributes)['agt.agent.id']).filter(Boolean))
    expect([...agents].sort()).toEqual(['claude-code', 'codex', 'cursor', 'vscode'])

    const verify = await runCli(['traces', 'verify', '--json'], env)
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    const records = JSON.parse((await runCli(['traces', 'list', '--json', '--action', 'deny'], env)).stdout)
    expect(JSON.stringify(records)).toContain('fs-destructive')
  })

  it('6. agentgov report --owasp --compliance all --format html shows this evidence', async () => {
    const inputs = ['--owasp', '--compliance', 'all', '--policy', policyFile, '--inventory', join(dir.path, 'inventory.json')]
    const html = join(dir.path, 'report.html')
    const written = await runCli(['report', ...inputs, '--format', 'html', '--out', html], env)
    expect(written.code, written.stderr).toBe(0)
    const page = readFileSync(html, 'utf8')
    for (let n = 1; n <= 10; n++) expect(page).toContain(`ASI${String(n).padStart(2, '0')}`)
    const report = JSON.parse((await runCli(['report', ...inputs, '--format', 'json'], env)).stdout) as {summary: {decisions: number; denials: number; approvals: number; agents: number}}
    // The calls of step 4: five approvals answered, at least the move, the loop and the pin denied, four agents.
    expect(report.summary.approvals).toBeGreaterThanOrEqual(5)
    expect(report.summary.denials).toBeGreaterThanOrEqual(3)
    expect(report.summary.agents).toBe(4)
  })

  it('7. unwrap --all restores every file byte for byte', async () => {
    const result = await runCli(['unwrap', '--all', '--json'], env)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    for (const [file, content] of originals) expect(readFileSync(file, 'utf8'), file).toBe(content)
  })
})
