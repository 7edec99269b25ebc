import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {runCli, tempDir} from '../helpers/tree.js'

const ROOT = join(import.meta.dirname, '..', '..')
const MANIFEST = join(ROOT, 'oclif.manifest.json')
const BUILT = existsSync(MANIFEST)
const ids = BUILT ? Object.keys((JSON.parse(readFileSync(MANIFEST, 'utf8')) as {commands: Record<string, unknown>}).commands) : []

describe.skipIf(!BUILT)('CLI conventions, through bin/run.js', () => {
  const dir = tempDir()
  const env = {HOME: join(dir.path, 'home'), AGENTGOV_HOME: join(dir.path, 'state'), AGENTGOV_PLATFORM: 'linux', XDG_CACHE_HOME: join(dir.path, 'cache')}
  afterAll(() => dir.cleanup())

  it.each(ids.map((id) => [id.replaceAll(':', ' ')]))("'%s --help' lists its exit codes", async (command) => {
    const result = await runCli([...command.split(' '), '--help'], env)
    expect(result.code, result.stderr).toBe(0)
    const section = /Exit codes:\n((?: {2,}\d+ .*\n)+)/.exec(result.stdout)
    expect(section, result.stdout).not.toBeNull()
    const codes = [...section![1].matchAll(/^\s+(\d+) /gm)].map((m) => Number(m[1]))
    expect(codes).toContain(0)
    expect(codes).toContain(2)
  })

  it("'agentgov help' lists the commands, and 'help COMMAND' is that command's help", async () => {
    const all = await runCli(['help'], env)
    expect(all.code).toBe(0)
    for (const topic of ['discover', 'doctor', 'wrap', 'policy']) expect(all.stdout).toContain(topic)
    const one = await runCli(['help', 'doctor'], env)
    expect(one.code).toBe(0)
    expect(one.stdout).toContain('$ agentgov doctor')
  })

  it.each([
    ['discovr', 'agentgov discover'],
    ['polcy', 'agentgov policy'],
    ['policy lnt', 'agentgov policy lint'],
  ])("a mistyped '%s' suggests '%s' and exits 2", async (typed, suggestion) => {
    const result = await runCli(typed.split(' '), env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`is not an agentgov command`)
    expect(result.stderr).toContain(`Did you mean '${suggestion}'`)
  })

  it('a word close to no command gets no guess, still exit 2', async () => {
    const result = await runCli(['xyzzyplugh'], env)
    expect(result.code).toBe(2)
    expect(result.stderr).not.toContain('Did you mean')
  })

  it('shell completion: the bash script sets up completion for agentgov', async () => {
    const result = await runCli(['autocomplete', 'script', 'bash'], env)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('AGENTGOV_AC_BASH_SETUP_PATH')
  })

  it.each([
    ['report', '--owasp', '--traces', '/nope/spans.jsonl'],
    ['discover', '--no-machine', '--no-processes', '--approved', '/nope/approved.yaml'],
    ['discover', '--no-machine', '--no-processes', '/nope/repo'],
    ['policy', 'lint', '/nope/policy.yaml'],
    ['policy', 'test', '/nope/policy.yaml', '--cases', '/nope/cases.yaml'],
    ['policy', 'explain', '--policy', '/nope/policy.yaml', '--agent', 'a', '--tool', 's.t'],
    ['policy', 'init', '--inventory', '/nope/inventory.json'],
    ['tokens', 'list', '--file', '/nope/tokens.json'],
    ['wrap', '/nope/mcp.json', '--client', 'cursor'],
    ['unwrap', '/nope/mcp.json', '--client', 'cursor'],
    ['status', '/nope/mcp.json', '--client', 'cursor'],
  ])('a named file that does not exist is exit 3 with one sentence: %s', async (...args) => {
    const result = await runCli(args, env)
    expect(result.code, result.stdout + result.stderr).toBe(3)
    expect(result.stderr).toMatch(/^agentgov: .*\/nope\/.*\.\n/)
  })

  it("the README's command reference is the one the commands generate", () => {
    expect(() => execFileSync(process.execPath, [join(ROOT, 'scripts', 'readme-commands.js'), '--check'], {stdio: 'pipe'})).not.toThrow()
  })
})
