import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ElicitRequestSchema, McpError} from '@modelcontextprotocol/sdk/types.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {pendingApprovalId} from '../helpers/approvals.js'
import {type Connected, connectDirect, connectThroughProxy, writePolicy} from '../helpers/mcp.js'
import {filesystemPolicy} from '../helpers/policies.js'
import {runCli, runInTerminal, tempDir} from '../helpers/tree.js'

/**
 * How long a held call waits for a person. The approval tests run up to three CLI commands while a
 * call is held, each about 3 s to start on a loaded machine: a shorter wait expires under them.
 */
const APPROVAL_TIMEOUT_S = 10

/** The policy under test: a secret folder, reads allowed, writes behind a person, moves denied, the rest hidden. */
function policyFor(root: string, extra = '', approveInClient?: string[]): string {
  const neverMove = '      - id: never-move\n        tools: ["fs.move_file"]\n        action: deny\n        reason: Agents may not move files.\n'
  return filesystemPolicy(root, {approvalTimeout: `${APPROVAL_TIMEOUT_S}s`, pinning: 'block', reads: ['fs.get_file_info', 'fs.directory_tree'], moreRules: neverMove, approveInClient}) + extra
}

const text = (result: unknown) => ((result as {content: Array<{text?: string}>}).content ?? []).map((c) => c.text ?? '').join('')

describe('agentgov proxy in front of the real filesystem server', () => {
  const dir = tempDir()
  const root = join(dir.path, 'root')
  const state = join(dir.path, 'state')
  let proxied: Connected
  let direct: Connected

  beforeAll(async () => {
    mkdirSync(join(root, 'public'), {recursive: true})
    mkdirSync(join(root, 'secret'), {recursive: true})
    writeFileSync(join(root, 'public', 'notes.txt'), 'hello from notes\n')
    writeFileSync(join(root, 'secret', 'key.txt'), 'do not read\n')
    proxied = await connectThroughProxy({stateDir: state, policy: policyFor(root), server: 'filesystem', serverName: 'fs', serverArgs: [root]})
    direct = await connectDirect({stateDir: state, server: 'filesystem', serverArgs: [root]})
  })
  afterAll(async () => {
    await proxied?.close()
    await direct?.close()
    dir.cleanup()
  })

  it('lists only the tools the policy does not deny outright', async () => {
    const all = (await direct.client.listTools()).tools.map((t) => t.name)
    const shown = (await proxied.client.listTools()).tools.map((t) => t.name)
    expect(all).toContain('move_file')
    expect(all).toContain('create_directory')
    expect(shown).not.toContain('move_file')
    expect(shown).not.toContain('create_directory')
    expect(shown).toEqual(expect.arrayContaining(['read_text_file', 'list_directory', 'write_file']))
    expect(shown.every((name) => all.includes(name))).toBe(true)
  })

  it('passes an allowed call through unchanged', async () => {
    const args = {name: 'read_text_file', arguments: {path: join(root, 'public', 'notes.txt')}}
    expect(await proxied.client.callTool(args)).toEqual(await direct.client.callTool(args))
  })

  it('denies by condition with the rule and its reason, also through .. and duplicate slashes', async () => {
    for (const path of [join(root, 'secret', 'key.txt'), `${root}/public/../secret//key.txt`]) {
      const result = await proxied.client.callTool({name: 'read_text_file', arguments: {path}})
      expect(result.isError).toBe(true)
      expect(text(result)).toBe('Denied by agentgov policy (rule no-secrets): The secret folder is off limits.')
    }
  })

  it('answers a call to a hidden tool as an unknown tool (-32602)', async () => {
    const error = await proxied.client.callTool({name: 'create_directory', arguments: {path: join(root, 'x')}}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(McpError)
    expect((error as McpError).code).toBe(-32602)
    expect(existsSync(join(root, 'x'))).toBe(false)
  })

  it('holds a write until a person approves it with agentgov approve', async () => {
    const target = join(root, 'public', 'approved.txt')
    const call = proxied.client.callTool({name: 'write_file', arguments: {path: target, content: 'ok'}})
    const id = await pendingApprovalId(state)
    expect(existsSync(target)).toBe(false)
    const listed = await runCli(['approvals'], {AGENTGOV_HOME: state, HOME: state})
    expect(listed.stdout).toMatch(new RegExp(`${id} test-agent → fs\\.write_file`))
    expect(listed.stdout).toContain('approved.txt')
    const json = JSON.parse((await runCli(['approvals', '--json'], {AGENTGOV_HOME: state, HOME: state})).stdout)
    expect(json.approvals[0]).toMatchObject({id, tool: 'write_file', rule: 'writes-need-a-person', status: 'pending'})
    const approve = await runInTerminal(['approve', id], {AGENTGOV_HOME: state, HOME: state})
    expect(approve.output).toContain(`Approved ${id}`)
    const result = await call
    expect(result.isError).toBeFalsy()
    expect(readFileSync(target, 'utf8')).toBe('ok')
  })

  it('denies a write a person denies, and one nobody answers in time', async () => {
    const denied = proxied.client.callTool({name: 'write_file', arguments: {path: join(root, 'public', 'denied.txt'), content: 'no'}})
    const id = await pendingApprovalId(state)
    expect((await runInTerminal(['deny', id], {AGENTGOV_HOME: state, HOME: state})).code).toBe(0)
    expect(text(await denied)).toContain('Not approved')

    const started = Date.now()
    const late = await proxied.client.callTool({name: 'write_file', arguments: {path: join(root, 'public', 'late.txt'), content: 'no'}})
    expect(late.isError).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(APPROVAL_TIMEOUT_S * 1000 - 100)
    expect(existsSync(join(root, 'public', 'late.txt'))).toBe(false)
  })

  it('refuses approve without a terminal: an agent cannot answer through a pipe', async () => {
    const held = proxied.client.callTool({name: 'write_file', arguments: {path: join(root, 'public', 'agent.txt'), content: 'x'}})
    const id = await pendingApprovalId(state)
    const result = await runCli(['approve', id], {AGENTGOV_HOME: state, HOME: state})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('must be run by a person at a terminal')
    expect((await held).isError).toBe(true)
  })

  it('records every decision in a chain that verifies', async () => {
    const result = await runCli(['traces', 'verify', '--json'], {AGENTGOV_HOME: state, HOME: state})
    expect(result.code).toBe(0)
    const listed = await runCli(['traces', 'list', '--json'], {AGENTGOV_HOME: state, HOME: state})
    const records = JSON.stringify(JSON.parse(listed.stdout))
    expect(records).toContain('no-secrets')
    expect(records).toContain('writes-need-a-person')
    expect(records).not.toContain('do not read')
  })
})

describe('approval through the client (elicitation), pins, kill switch and hot reload', () => {
  const dir = tempDir()
  const root = join(dir.path, 'root')
  const state = join(dir.path, 'state')
  mkdirSync(root, {recursive: true})
  writeFileSync(join(root, 'a.txt'), 'a\n')
  afterAll(() => dir.cleanup())

  it('asks a client that declared elicitation, with the exact tool and arguments', async () => {
    // The policy names the agent: its client shows elicitations to a person.
    const connected = await connectThroughProxy({stateDir: state, policy: policyFor(root, '', ['test-agent']), server: 'filesystem', serverName: 'fs', serverArgs: [root], elicitation: true})
    const asked: string[] = []
    connected.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message)
      return {action: 'accept', content: {approve: true}}
    })
    const result = await connected.client.callTool({name: 'write_file', arguments: {path: join(root, 'b.txt'), content: 'via elicitation'}})
    await connected.close()
    expect(result.isError).toBeFalsy()
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('via elicitation')
    expect(asked[0]).toContain('fs.write_file')
    expect(asked[0]).toContain('via elicitation')
  })

  it('blocks a tool whose definition changed since it was pinned, until a person accepts it', async () => {
    const pinFile = join(state, 'pins', 'fs.json')
    expect(existsSync(pinFile)).toBe(true)
    const pins = JSON.parse(readFileSync(pinFile, 'utf8'))
    pins.tools.read_text_file.hash = '0'.repeat(64)
    writeFileSync(pinFile, JSON.stringify(pins))

    let connected = await connectThroughProxy({stateDir: state, policy: policyFor(root), server: 'filesystem', serverName: 'fs', serverArgs: [root]})
    expect((await connected.client.listTools()).tools.map((t) => t.name)).not.toContain('read_text_file')
    const blocked = await connected.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'a.txt')}})
    expect(text(blocked)).toContain('changed since it was pinned')
    expect(connected.stderr()).toContain('possible rug pull')
    await connected.close()

    const accepted = await runInTerminal(['pins', 'accept', 'fs', 'read_text_file'], {AGENTGOV_HOME: state, HOME: state})
    expect(accepted.output).toContain('Accepted')
    connected = await connectThroughProxy({stateDir: state, policy: policyFor(root), server: 'filesystem', serverName: 'fs', serverArgs: [root]})
    expect(text(await connected.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'a.txt')}}))).toBe('a\n')
    await connected.close()
  })

  it('kill switch: every call of the agent is blocked within a second, until a person revives it', async () => {
    const connected = await connectThroughProxy({stateDir: state, policy: policyFor(root), server: 'filesystem', serverName: 'fs', serverArgs: [root], agent: 'cursor'})
    const read = () => connected.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'a.txt')}})
    expect((await read()).isError).toBeFalsy()
    expect((await runCli(['kill', '--agent', 'cursor'], {AGENTGOV_HOME: state, HOME: state})).code).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await read()).isError).toBe(true)
    // Requests no policy stage decides are stopped too; only the session's lifecycle passes.
    await expect(connected.client.listTools()).rejects.toThrow(/kill switch/)
    await expect(connected.client.complete({ref: {type: 'ref/prompt', name: 'x'}, argument: {name: 'a', value: 'b'}})).rejects.toThrow(/kill switch/)
    await expect(connected.client.ping()).resolves.toBeDefined()
    expect((await runInTerminal(['revive', '--agent', 'cursor'], {AGENTGOV_HOME: state, HOME: state})).code).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await read()).isError).toBeFalsy()
    expect((await connected.client.listTools()).tools.length).toBeGreaterThan(0)
    await connected.close()
  })

  it('hot reload: a new policy applies at once; a broken one keeps the last good policy and says so', async () => {
    const connected = await connectThroughProxy({stateDir: state, policy: policyFor(root), server: 'filesystem', serverName: 'fs', serverArgs: [root]})
    const read = () => connected.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'a.txt')}})
    expect((await read()).isError).toBeFalsy()
    writePolicy(state, policyFor(root).replace('- id: reads\n        tools: ["fs.read_*"', '- id: reads\n        tools: ["fs.nothing_*"'))
    // With no rule left for it, the tool is hidden: calls are answered as for an unknown tool.
    const hidden = async () => ((await read().catch((error: unknown) => error)) as McpError).code
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(await hidden()).toBe(-32602)
    writePolicy(state, 'policies: [this is not: valid')
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(connected.stderr()).toContain('POLICY NOT RELOADED')
    expect(await hidden()).toBe(-32602)
    await connected.close()
  })
})
