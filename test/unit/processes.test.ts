import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CLIENTS} from '../../src/clients/index.js'
import {type ProcessClient, type ProcessScan, scanProcesses} from '../../src/discovery/processes.js'
import type {ProcessRecord} from '../../src/discovery/types.js'

// Built at run time so that no credential-shaped literal sits in the repository.
const TOKEN = `ghp_${'Zx8Kq2Lm7Np4Rt6Vw9Yb3Cd5'}${'Fg1Hj0Ks8Lu2'}`
const PASSWORD = 'Tr0ub4dor-and-3'

const CLIENT_FIXTURES: ProcessClient[] = [
  {id: 'cursor', name: 'Cursor', processNames: ['cursor', 'Cursor', 'cursor-agent']},
  {id: 'vscode', name: 'VS Code', processNames: ['code', 'Code', 'code-insiders', 'Code - Insiders']},
  {id: 'claude-code', name: 'Claude Code', processNames: ['claude', '@anthropic-ai/claude-code']},
  {id: 'claude-desktop', name: 'Claude Desktop', processNames: ['Claude', 'claude-desktop']},
  {id: 'gemini-cli', name: 'Gemini CLI', processNames: ['gemini', '@google/gemini-cli']},
  {id: 'lm-studio', name: 'LM Studio', processNames: ['lms', 'LM Studio']},
  {id: 'no-names', name: 'No Names'},
]

let root: string

function proc(pid: number, argv: string[] | string, ppid?: number, comm = 'x'): void {
  const dir = join(root, String(pid))
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'cmdline'), Array.isArray(argv) ? `${argv.join('\0')}\0` : argv)
  if (ppid !== undefined) writeFileSync(join(dir, 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0\n`)
}

function byPid(scan: ProcessScan): Map<number, ProcessRecord> {
  return new Map(scan.processes.map((record) => [record.pid, record]))
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'agentgov-proc-'))
  proc(1, ['/sbin/init', 'splash'], 0, 'systemd')
  proc(2, '', 0, 'kthreadd')

  // Cursor: the main process, an Electron helper, and servers started from the helper.
  proc(100, ['/usr/share/cursor/cursor', '--no-sandbox'], 1, 'cursor')
  proc(101, ['/usr/share/cursor/cursor', '--type=utility', '--utility-sub-type=node.mojom.NodeService'], 100, 'cursor')
  proc(200, ['npx', '-y', '@modelcontextprotocol/server-github', '--token', TOKEN], 101, 'npm exec')
  proc(201, ['node', '/home/ana/.npm/_npx/1a2b/node_modules/.bin/mcp-server-github'], 200, 'node')
  proc(202, ['node', '/srv/db-mcp/dist/index.js', '--password', PASSWORD, 'DB_URL=postgres://app:Sup3rPass99@db/app'], 101, 'node')

  // A governed server: the agentgov proxy, npx under it, and the shell npx starts.
  proc(300, ['node', '/x/agentgov/bin/run.js', 'proxy', '--agent', 'cursor', '--server', 'fs', '--', 'npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'], 101)
  proc(301, ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'], 300)
  proc(302, ['sh', '-c', 'mcp-server-filesystem /tmp'], 301)

  // VS Code with an ungoverned uvx server.
  proc(400, ['/usr/share/code/code'], 1, 'code')
  proc(401, ['uvx', 'mcp-server-git', '--repository', '/home/ana/repo'], 400)

  // Node CLIs are `node <script>`: matched by the script's name or package path.
  proc(500, ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], 1)
  proc(501, ['/home/ana/.local/bin/mcp-server-fetch'], 500)
  proc(502, ['node', '/usr/local/bin/gemini'], 1)
  proc(503, ['fastmcp', 'run', 'server.py'], 502)

  // A server with no client above it, and one whose parent is unknown (no stat).
  proc(600, ['docker', 'run', '-i', '--rm', '-e', `GITHUB_TOKEN=${TOKEN}`, 'ghcr.io/github/github-mcp-server:1.0.0'], 1)
  proc(601, ['python3', '-m', 'awslabs.aws_documentation_mcp_server.server'])
  // A title rewritten into one space-separated string.
  proc(602, 'mcp-server-time --local-timezone UTC\0', 1)

  // Decoys: names and paths that contain a client or server word without being one.
  proc(700, ['vim', 'code.txt'], 400, 'vim')
  proc(701, ['less', '/home/ana/code/cursor/notes.md'], 100)
  proc(702, ['/home/ana/code/bin/build.sh'], 1)
  proc(703, ['grep', '-r', '@modelcontextprotocol/server-github', '.'], 100)
  proc(704, ['node', '/home/ana/projects/agent-mcp/node_modules/.bin/vite'], 1)
  proc(705, ['cat', '/home/ana/github-mcp-server/README.md'], 1)
  proc(706, ['python3', 'code.py'], 1)
  proc(707, ['vim', '/tmp/@anthropic-ai/claude-code/notes.md'], 1)
  proc(708, ['/usr/bin/codex-helper'], 1)
  proc(709, ['/opt/Cursor-notes/bin/encoder'], 1)
  proc(710, ['bash'], 100, 'bash')
  proc(711, ['node', '/home/ana/agent-mcp/tools/scripts/lint.js'], 1)
  proc(712, ['python3', '/home/ana/mcp-server-notes/analysis/plots/plot.py'], 1)

  // Parents that point at each other must not hang the ancestor walk.
  proc(800, ['mcp-server-loop'], 801)
  proc(801, ['bash'], 800)

  // The scanner itself is never reported, even when it looks like a server.
  proc(process.pid, ['node', '/x/agentgov/bin/run.js', 'proxy', '--server', 'self', '--', 'mcp-server-self'], 1)

  // Entries that vanish or cannot be read mid-scan, and procfs's non-process entries.
  mkdirSync(join(root, '900'))
  mkdirSync(join(root, '901', 'cmdline'), {recursive: true})
  mkdirSync(join(root, 'self'))
  writeFileSync(join(root, 'uptime'), '1.0 1.0\n')
  proc(902, ['npx', '-y', '@modelcontextprotocol/server-memory'], 1, 'weird) name (with) parens')
})

afterAll(() => {
  rmSync(root, {recursive: true, force: true})
})

describe('scanProcesses on Linux (/proc)', () => {
  let scan: ProcessScan
  let records: Map<number, ProcessRecord>

  beforeAll(async () => {
    scan = await scanProcesses({platform: 'linux', clients: CLIENT_FIXTURES, procRoot: root})
    records = byPid(scan)
  })

  it('is supported and returns records sorted by pid', () => {
    expect(scan.supported).toBe(true)
    expect(scan.note).toBeUndefined()
    const pids = scan.processes.map((record) => record.pid)
    expect(pids).toEqual([...pids].sort((a, b) => a - b))
  })

  it('recognises clients by executable basename and by package path', () => {
    expect(records.get(100)).toEqual({pid: 100, ppid: 1, kind: 'client', client: 'cursor', name: 'Cursor', command: '/usr/share/cursor/cursor --no-sandbox', governed: false})
    expect(records.get(400)).toMatchObject({kind: 'client', client: 'vscode', name: 'VS Code'})
    expect(records.get(500)).toMatchObject({kind: 'client', client: 'claude-code'})
    expect(records.get(502)).toMatchObject({kind: 'client', client: 'gemini-cli'})
  })

  it('reports the main process of an Electron client, not its helpers', () => {
    expect(records.has(101)).toBe(false)
  })

  it('recognises servers and the client that launched them through helpers', () => {
    expect(records.get(200)).toMatchObject({kind: 'mcp-server', ppid: 101, client: 'cursor', name: '@modelcontextprotocol/server-github', governed: false})
    expect(records.get(201)).toMatchObject({kind: 'mcp-server', client: 'cursor', name: 'mcp-server-github', governed: false})
    expect(records.get(202)).toMatchObject({kind: 'mcp-server', client: 'cursor', name: 'db-mcp', governed: false})
    expect(records.get(401)).toMatchObject({kind: 'mcp-server', client: 'vscode', name: 'mcp-server-git', governed: false})
    expect(records.get(501)).toMatchObject({kind: 'mcp-server', client: 'claude-code', name: 'mcp-server-fetch'})
    expect(records.get(503)).toMatchObject({kind: 'mcp-server', client: 'gemini-cli'})
  })

  it('marks the proxy and everything it starts as governed', () => {
    expect(records.get(300)).toMatchObject({kind: 'mcp-server', client: 'cursor', name: 'fs', governed: true})
    expect(records.get(301)).toMatchObject({kind: 'mcp-server', client: 'cursor', name: '@modelcontextprotocol/server-filesystem', governed: true})
    expect(records.get(302)).toMatchObject({kind: 'mcp-server', client: 'cursor', governed: true})
  })

  it('reports servers with no client above them without a client', () => {
    expect(records.get(600)).toMatchObject({kind: 'mcp-server', name: 'ghcr.io/github/github-mcp-server', governed: false})
    expect(records.get(600)).not.toHaveProperty('client')
    expect(records.get(601)).toMatchObject({kind: 'mcp-server', name: 'awslabs.aws_documentation_mcp_server.server'})
    expect(records.get(601)).not.toHaveProperty('ppid')
    expect(records.get(602)).toMatchObject({kind: 'mcp-server', name: 'mcp-server-time', command: 'mcp-server-time --local-timezone UTC'})
    expect(records.get(902)).toMatchObject({kind: 'mcp-server', ppid: 1, name: '@modelcontextprotocol/server-memory'})
  })

  it('never lets a secret from argv into the output', () => {
    const output = JSON.stringify(scan)
    expect(output).not.toContain(TOKEN)
    expect(output).not.toContain(TOKEN.slice(4, 20))
    expect(output).not.toContain(PASSWORD)
    expect(output).not.toContain('Sup3rPass99')
    expect(records.get(200)?.command).toBe('npx -y @modelcontextprotocol/server-github --token ghp_…[redacted 40 chars]')
    expect(records.get(202)?.command).toBe('node /srv/db-mcp/dist/index.js --password [redacted] DB_URL=postgres://app:[redacted]@db/app')
    expect(records.get(600)?.command).toContain('-e GITHUB_TOKEN=ghp_…[redacted 40 chars] ghcr.io')
  })

  it('ignores decoys that only mention a client or server name', () => {
    for (const pid of [1, 700, 701, 702, 703, 704, 705, 706, 707, 708, 709, 710, 711, 712, 801]) expect(records.get(pid), String(pid)).toBeUndefined()
  })

  it('survives a parent cycle', () => {
    expect(records.get(800)).toMatchObject({kind: 'mcp-server', ppid: 801, governed: false})
    expect(records.get(800)).not.toHaveProperty('client')
  })

  it('never reports the scanning process', () => {
    expect(records.has(process.pid)).toBe(false)
  })

  it('skips kernel threads and entries that cannot be read', () => {
    for (const pid of [2, 900, 901]) expect(records.has(pid)).toBe(false)
  })

  it('says so when /proc cannot be read', async () => {
    const missing = await scanProcesses({platform: 'linux', clients: CLIENT_FIXTURES, procRoot: join(root, 'missing')})
    expect(missing.supported).toBe(false)
    expect(missing.processes).toEqual([])
    expect(missing.note).toMatch(/could not read .*missing/)
  })

  it('finds no clients without process names', async () => {
    const none = await scanProcesses({platform: 'linux', clients: [], procRoot: root})
    expect(none.processes.some((record) => record.kind === 'client')).toBe(false)
    expect(byPid(none).get(200)).toMatchObject({kind: 'mcp-server', governed: false})
    expect(byPid(none).get(200)).not.toHaveProperty('client')
  })

  it('does not mistake decoys for the real adapters either', async () => {
    const real = byPid(await scanProcesses({platform: 'linux', clients: CLIENTS, procRoot: root}))
    for (const pid of [700, 701, 702, 703, 704, 705, 706, 707, 708, 709, 710, 711, 712]) expect(real.get(pid), String(pid)).toBeUndefined()
    expect(real.get(100)).toMatchObject({kind: 'client', client: 'cursor'})
  })
})

describe('scanProcesses from ps output', () => {
  const self = process.pid
  const ps = [
    '    1     0 /sbin/launchd',
    '  501     1 /Applications/Cursor.app/Contents/MacOS/Cursor',
    '  502   501 /Applications/Cursor.app/Contents/Frameworks/Cursor Helper (Plugin).app/Contents/MacOS/Cursor Helper (Plugin) --type=utility --utility-sub-type=node.mojom.NodeService',
    `  503   502 npx -y @modelcontextprotocol/server-github --token ${TOKEN}`,
    '  504     1 /Applications/Claude.app/Contents/MacOS/Claude',
    '  505   504 /Users/ana/.local/bin/uvx mcp-server-time',
    '  506   504 node /Users/ana/.nvm/versions/node/v20.19.0/bin/agentgov proxy --agent claude-desktop --server time -- uvx mcp-server-time',
    '  507   506 /Users/ana/.local/bin/uvx mcp-server-time',
    '  508     1 /Applications/Visual Studio Code.app/Contents/MacOS/Code',
    '  509   508 /Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin) --type=utility',
    '  510   509 docker run -i --rm mcp/fetch',
    '  511     1 /Applications/LM Studio.app/Contents/MacOS/LM Studio',
    '  512     1 vim code.txt',
    '  513     1 /usr/bin/less /Users/ana/code/Cursor/notes.md',
    `${String(self).padStart(5)}     1 node /x/agentgov/bin/run.js proxy -- mcp-server-self`,
    'not a process line',
    '',
  ].join('\n')

  it('reads a darwin process table', async () => {
    const scan = await scanProcesses({platform: 'darwin', clients: CLIENT_FIXTURES, psOutput: ps})
    expect(scan.supported).toBe(true)
    const records = byPid(scan)
    expect(records.get(501)).toMatchObject({kind: 'client', client: 'cursor', command: '/Applications/Cursor.app/Contents/MacOS/Cursor'})
    expect(records.get(503)).toMatchObject({kind: 'mcp-server', client: 'cursor', governed: false, command: 'npx -y @modelcontextprotocol/server-github --token ghp_…[redacted 40 chars]'})
    expect(records.get(504)).toMatchObject({kind: 'client', client: 'claude-desktop'})
    expect(records.get(505)).toMatchObject({kind: 'mcp-server', client: 'claude-desktop', name: 'mcp-server-time', governed: false})
    expect(records.get(506)).toMatchObject({kind: 'mcp-server', client: 'claude-desktop', name: 'time', governed: true})
    expect(records.get(507)).toMatchObject({kind: 'mcp-server', client: 'claude-desktop', governed: true})
    expect(records.get(508)).toMatchObject({kind: 'client', client: 'vscode'})
    expect(records.get(510)).toMatchObject({kind: 'mcp-server', client: 'vscode', name: 'mcp/fetch'})
    expect(records.get(511)).toMatchObject({kind: 'client', client: 'lm-studio'})
    for (const pid of [1, 502, 509, 512, 513, self]) expect(records.has(pid), String(pid)).toBe(false)
    expect(JSON.stringify(scan)).not.toContain(TOKEN)
  })

  it('reads quoted Windows command lines when given them', async () => {
    const lines = [
      '4000 1 "C:\\Users\\ana\\AppData\\Local\\Programs\\cursor\\Cursor.exe"',
      `4001 4000 "C:\\Program Files\\nodejs\\node.exe" "C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npx-cli.js" -y @modelcontextprotocol/server-filesystem C:\\tmp --api-key ${TOKEN}`,
      '4002 1 "C:\\Windows\\System32\\notepad.exe" C:\\code\\code.txt',
    ].join('\r\n')
    const records = byPid(await scanProcesses({platform: 'win32', clients: CLIENT_FIXTURES, psOutput: lines}))
    expect(records.get(4000)).toMatchObject({kind: 'client', client: 'cursor'})
    expect(records.get(4001)).toMatchObject({kind: 'mcp-server', client: 'cursor', name: '@modelcontextprotocol/server-filesystem'})
    expect(records.get(4001)?.command).not.toContain(TOKEN)
    expect(records.has(4002)).toBe(false)
  })

  it('does not scan Windows without input, and says why', async () => {
    expect(await scanProcesses({platform: 'win32', clients: CLIENT_FIXTURES})).toEqual({
      supported: false,
      processes: [],
      note: 'process scan is not supported on Windows yet',
    })
  })
})
