import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Inventory} from '../../src/discovery/types.js'
import {runCli, runInTerminal, tempDir, writeTree} from '../helpers/tree.js'

const POLICY = `version: 1
settings:
  approval_timeout: 90s
policies:
  - name: claude
    agent: claude-code
    rules:
      - id: no-ssh
        tools: [filesystem.read_*]
        action: deny
        when: {arg: path, under: ["~/.ssh"]}
        reason: Keys stay on disk.
      - id: reads
        tools: [filesystem.read_*]
        action: allow
      - id: gh-write
        tools: [github.create_*]
        action: human_approval
  - name: default
    agent: "*"
    rules:
      - id: deny-rest
        tools: ["*"]
        action: deny
`

describe('agentgov policy and grant', () => {
  const dir = tempDir()
  const home = join(dir.path, 'home')
  const state = join(dir.path, 'state')
  const env = {HOME: home, AGENTGOV_HOME: state}
  const file = (name: string) => join(dir.path, name)

  beforeAll(() => {
    writeTree(dir.path, {
      'policy.yaml': POLICY,
      'bad.yaml': 'policies:\n  - name: x\n    agent: "*"\n    rules:\n      - tolls: [a.b]\n        action: allow\n      - tools: [a.b]\n        action: alow\n',
      'shadow.yaml': 'policies:\n  - name: x\n    agent: "*"\n    rules:\n      - {id: all, tools: ["gh.*"], action: allow}\n      - {id: never, tools: [gh.delete_repo], action: deny}\n',
      'pass.cases.yaml': `cases:
  - name: reading code is fine
    agent: claude-code
    tool: filesystem.read_file
    args: {path: ~/code/app.ts}
    expect: allow
  - name: keys stay put, however the path is spelled
    agent: claude-code
    tool: filesystem.read_text_file
    args: {path: "~/code/../.ssh//id_rsa"}
    expect: {action: deny, rule: no-ssh}
  - name: a grant lifts approval
    agent: claude-code
    tool: github.create_issue
    grant: {}
    expect: {action: allow, rule: gh-write}
  - name: loops are stopped
    agent: claude-code
    tool: filesystem.read_file
    args: {path: /tmp/x}
    calls_before: 3
    expect: {action: deny, limit: loop}
`,
      'fail.cases.yaml': 'cases:\n  - name: wrong on purpose\n    agent: cursor\n    tool: filesystem.read_file\n    expect: allow\n',
      'inventory.json': {
        servers: [
          {id: '1', client: 'cursor', scope: 'user', file: '/x', name: 'filesystem', transport: 'stdio', command: 'npx', package: {ecosystem: 'npm', name: '@modelcontextprotocol/server-filesystem', pinned: false}, envNames: [], headerNames: [], enabled: true, governance: 'shadow', duplicates: []},
          {id: '2', client: 'claude-code', scope: 'user', file: '/y', name: 'weather', transport: 'stdio', command: 'node', envNames: [], headerNames: [], enabled: true, governance: 'shadow', duplicates: []},
        ],
      } as unknown as Inventory as object,
    })
  })
  afterAll(() => dir.cleanup())

  it('lint: a valid policy exits 0', async () => {
    const result = await runCli(['policy', 'lint', file('policy.yaml'), '--json'], env)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({errors: [], policies: 2, rules: 4})
  })

  it('lint: errors carry file:line:col and "did you mean", exit 3', async () => {
    const result = await runCli(['policy', 'lint', file('bad.yaml')], env)
    expect(result.code).toBe(3)
    // The terminal view wraps long lines: compare with the wrapping undone.
    const text = result.stdout.replaceAll(/\s+/g, ' ')
    expect(text).toContain(`${file('bad.yaml')}:5:9 unknown key "tolls" in a rule (did you mean "tools"?)`)
    expect(text).toContain(`${file('bad.yaml')}:8:17 unknown action "alow" (did you mean "allow"?)`)
  })

  it('lint: warns about unreachable rules and allows that shadow a deny', async () => {
    const result = await runCli(['policy', 'lint', file('shadow.yaml'), '--json'], env)
    expect(result.code).toBe(0)
    const codes = (JSON.parse(result.stdout) as {warnings: Array<{code: string; line: number}>}).warnings.map((w) => `${w.code}@${w.line}`)
    expect(codes).toContain('unreachable-rule@6')
  })

  it('test: passing cases exit 0, a failing case exits 1', async () => {
    const pass = await runCli(['policy', 'test', file('policy.yaml'), '--cases', file('pass.cases.yaml'), '--json'], env)
    expect(pass.code).toBe(0)
    expect(JSON.parse(pass.stdout)).toMatchObject({passed: 4, failed: 0})
    const fail = await runCli(['policy', 'test', file('policy.yaml'), '--cases', file('fail.cases.yaml')], env)
    expect(fail.code).toBe(1)
    expect(fail.stdout).toContain('FAIL wrong on purpose')
    expect(fail.stdout).toContain('expected allow, got deny')
  })

  it('test: an invalid policy exits 3 with its line', async () => {
    const result = await runCli(['policy', 'test', file('bad.yaml'), '--cases', file('pass.cases.yaml')], env)
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(`${file('bad.yaml')}:5:9`)
  })

  it('explain: the decision and the path to it', async () => {
    const args = ['policy', 'explain', '--policy', file('policy.yaml'), '--agent', 'claude-code', '--tool', 'filesystem.read_file', '--args', '{"path": "~/.ssh/id_rsa"}']
    const json = await runCli([...args, '--json'], env)
    expect(json.code).toBe(0)
    const explanation = JSON.parse(json.stdout)
    expect(explanation.decision).toMatchObject({action: 'deny', policy: 'claude', rule: 'no-ssh', reason: 'Keys stay on disk.'})
    expect(explanation.policies[0].rules[0]).toMatchObject({id: 'no-ssh', outcome: 'matched'})
    const human = await runCli(args, env)
    expect(human.stdout).toContain('deny')
    expect(human.stdout).toContain('no-ssh')
    const bad = await runCli(['policy', 'explain', '--policy', file('policy.yaml'), '--agent', 'a', '--tool', 'x.y', '--args', '[1]'], env)
    expect(bad.code).toBe(2)
  })

  it('init: writes a starter policy from an inventory that lints clean, and never overwrites', async () => {
    const out = file('starter.yaml')
    const first = await runCli(['policy', 'init', '--inventory', file('inventory.json'), '--output', out, '--json'], env)
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout).servers.map((s: {name: string; template?: string}) => `${s.name}:${s.template ?? '-'}`)).toEqual(['filesystem:filesystem', 'weather:-'])
    const text = readFileSync(out, 'utf8')
    expect(text).toContain('filesystem.read_file')
    const explain = (tool: string, annotations = '{}') => runCli(['policy', 'explain', '--policy', out, '--agent', 'any', '--tool', tool, '--annotations', annotations, '--json'], env).then((r) => JSON.parse(r.stdout).decision.action)
    expect(await explain('filesystem.read_file')).toBe('allow')
    expect(await explain('filesystem.write_file')).toBe('human_approval')
    expect(await explain('weather.forecast', '{"readOnlyHint": true}')).toBe('allow')
    expect(await explain('weather.forecast')).toBe('human_approval')
    expect(await explain('unknown.tool', '{"readOnlyHint": true}')).toBe('deny')
    const second = await runCli(['policy', 'init', '--inventory', file('inventory.json'), '--output', out], env)
    expect(second.code).toBe(3)
    expect(second.stderr).toContain('--force')
    expect((await runCli(['policy', 'init', '--inventory', file('inventory.json'), '--output', out, '--force'], env)).code).toBe(0)
  })

  it('grant: refuses without a terminal; create, list, revoke in the state dir', async () => {
    const refused = await runCli(['grant', '--agent', 'claude-code', '--tools', 'github.create_*', '--for', '30m'], env)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('terminal')

    const badDuration = await runInTerminal(['grant', '--agent', 'a', '--tools', 'x.y', '--for', 'soon'], env)
    expect(badDuration.code).toBe(2)
    const created = await runInTerminal(['grant', '--agent', 'claude-code', '--tools', 'github.create_*', '--for', '30m'], env)
    expect(created.code).toBe(0)
    const [grant] = JSON.parse(readFileSync(join(state, 'grants.json'), 'utf8')).grants
    expect(created.output.replaceAll(/\x1b\[[0-9;?]*[A-Za-z]/g, '')).toContain(grant.id)
    expect(grant.id).toMatch(/^g_[0-9a-f]{8}$/)
    expect(grant.expiresAt - grant.createdAt).toBe(30 * 60 * 1000)

    const listed = await runCli(['grant', 'list', '--json'], env)
    expect(JSON.parse(listed.stdout).grants.map((g: {id: string}) => g.id)).toEqual([grant.id])
    const human = await runCli(['grant', 'list'], env)
    expect(human.stdout).toContain(grant.id)

    const revoked = await runCli(['grant', 'revoke', grant.id], env)
    expect(revoked.code).toBe(0)
    expect(JSON.parse((await runCli(['grant', 'list', '--json'], env)).stdout).grants).toEqual([])
    expect((await runCli(['grant', 'revoke', grant.id], env)).code).toBe(3)
  })

  it('every command has --help with examples', async () => {
    for (const command of [['policy', 'init'], ['policy', 'lint'], ['policy', 'test'], ['policy', 'explain'], ['grant'], ['grant', 'list'], ['grant', 'revoke']]) {
      const result = await runCli([...command, '--help'], env)
      expect(result.code, command.join(' ')).toBe(0)
      expect(result.stdout, command.join(' ')).toContain('EXAMPLES')
    }
  })
})
