import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {getIn} from '../../src/clients/server-map.js'
import {parseConfig} from '../../src/config/document.js'
import {runCli, tempDir} from '../helpers/tree.js'

const ROOT = join(import.meta.dirname, '..', '..')
const SERVER = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-filesystem', 'dist', 'index.js')
const HAS_PROXY = existsSync(join(ROOT, 'dist', 'commands', 'proxy.js'))

const POLICY = `version: 1
policies:
  - name: e2e
    agent: "*"
    rules:
      - id: no-writes
        tools: [write_file]
        action: deny
        reason: this workspace is read-only for agents
      - id: everything-else
        tools: ["*"]
        action: allow
`

/**
 * Launch one entry exactly as a client does: its command and args, its env on top of a minimal
 * environment (no PATH: the absolute paths wrap writes must be enough).
 */
async function launch(file: string, entryPath: string[], home: string, state: string): Promise<Client> {
  const entry = getIn(parseConfig(readFileSync(file, 'utf8'), 'jsonc').value, entryPath) as {command: string; args?: string[]; env?: Record<string, string>}
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args ?? [],
    env: {HOME: home, AGENTGOV_HOME: state, ...entry.env},
    stderr: 'pipe',
  })
  const client = new Client({name: 'wrap-e2e', version: '1.0.0'})
  await client.connect(transport)
  return client
}

async function tryWrite(client: Client, path: string): Promise<{denied: boolean; text: string}> {
  try {
    const result = await client.callTool({name: 'write_file', arguments: {path, content: 'written by the agent'}})
    const text = JSON.stringify(result.content)
    return {denied: result.isError === true, text}
  } catch (error) {
    return {denied: true, text: String(error)}
  }
}

describe.skipIf(!HAS_PROXY)('a wrapped config launched the way its client launches it', () => {
  const dir = tempDir()
  const home = join(dir.path, 'home')
  const state = join(dir.path, 'state')
  const work = join(dir.path, 'work')
  const cursorFile = join(home, '.cursor', 'mcp.json')
  const vscodeFile = join(home, '.config', 'Code', 'User', 'mcp.json')
  const env = {HOME: home, AGENTGOV_HOME: state, AGENTGOV_PLATFORM: 'linux'}
  let cursorOriginal: string
  let vscodeOriginal: string

  beforeAll(async () => {
    mkdirSync(work, {recursive: true})
    writeFileSync(join(work, 'hello.txt'), 'hello')
    mkdirSync(join(home, '.cursor'), {recursive: true})
    mkdirSync(join(home, '.config', 'Code', 'User'), {recursive: true})
    cursorOriginal = `{\n  "mcpServers": {\n    "filesystem": {"command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(SERVER)}, ${JSON.stringify(work)}], "env": {"LOG": "1"}}\n  }\n}\n`
    vscodeOriginal = `// VS Code user servers\r\n{\r\n\t"inputs": [{"type": "promptString", "id": "token"}],\r\n\t"servers": {\r\n\t\t"fs": {\r\n\t\t\t"type": "stdio",\r\n\t\t\t"command": ${JSON.stringify(process.execPath)},\r\n\t\t\t"args": [${JSON.stringify(SERVER)}, ${JSON.stringify(work)}], // the workspace\r\n\t\t},\r\n\t},\r\n}\r\n`
    writeFileSync(cursorFile, cursorOriginal)
    writeFileSync(vscodeFile, vscodeOriginal)
    writeFileSync(join(dir.path, 'policy.yaml'), POLICY)
    const wrapped = await runCli(['wrap', '--all', '--policy', join(dir.path, 'policy.yaml'), '--json'], env)
    expect(wrapped.code, wrapped.stdout + wrapped.stderr).toBe(0)
  })
  afterAll(() => dir.cleanup())

  for (const [label, file, path] of [
    ['Cursor', () => cursorFile, ['mcpServers', 'filesystem']],
    ['VS Code', () => vscodeFile, ['servers', 'fs']],
  ] as const) {
    it(`${label}: the policy denies a write; reads still work`, async () => {
      const client = await launch(file(), [...path], home, state)
      try {
        const read = await client.callTool({name: 'read_text_file', arguments: {path: join(work, 'hello.txt')}})
        expect(JSON.stringify(read.content)).toContain('hello')
        const target = join(work, `${label}.txt`)
        const write = await tryWrite(client, target)
        expect(write.denied, write.text).toBe(true)
        expect(existsSync(target)).toBe(false)
      } finally {
        await client.close()
      }
    })
  }

  it('after unwrap the files are restored byte for byte and the same call reaches the server', async () => {
    const result = await runCli(['unwrap', '--all', '--json'], env)
    expect(result.code, result.stdout).toBe(0)
    expect(readFileSync(cursorFile, 'utf8')).toBe(cursorOriginal)
    expect(readFileSync(vscodeFile, 'utf8')).toBe(vscodeOriginal)
    for (const [file, path, name] of [
      [cursorFile, ['mcpServers', 'filesystem'], 'direct-cursor.txt'],
      [vscodeFile, ['servers', 'fs'], 'direct-vscode.txt'],
    ] as const) {
      const client = await launch(file, [...path], home, state)
      try {
        const write = await tryWrite(client, join(work, name))
        expect(write.denied, write.text).toBe(false)
        expect(readFileSync(join(work, name), 'utf8')).toBe('written by the agent')
      } finally {
        await client.close()
      }
    }
  })
})
