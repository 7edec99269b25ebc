import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {getIn} from '../../src/clients/server-map.js'
import {parseConfig} from '../../src/config/document.js'
import type {DoctorReport} from '../../src/wrap/doctor.js'
import type {StatusReport} from '../../src/wrap/run.js'
import {SERVERS} from '../helpers/mcp.js'
import {runCli, tempDir} from '../helpers/tree.js'

const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {version: string}).version
const POLICY = 'version: 1\npolicies:\n  - name: t\n    agent: "*"\n    rules:\n      - id: all\n        tools: ["*"]\n        action: allow\n'

/**
 * A user file and a project's committed .mcp.json, wrapped through bin/run.js in a temp HOME; then
 * the launcher of the user file is made stale (node "moved"), as an upgrade or nvm switch would.
 */
describe('launch forms, doctor and status over wrapped entries', () => {
  const dir = tempDir()
  const home = join(dir.path, 'home')
  const state = join(dir.path, 'state')
  const project = join(dir.path, 'project')
  const cursorFile = join(home, '.cursor', 'mcp.json')
  const projectFile = join(project, '.mcp.json')
  const env = {HOME: home, AGENTGOV_HOME: state, AGENTGOV_PLATFORM: 'linux'}
  const original = `{\n  "mcpServers": {\n    "everything": {"command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(SERVERS.everything)}, "stdio"]}\n  }\n}\n`
  const launchOf = (file: string) => getIn(parseConfig(readFileSync(file, 'utf8'), 'jsonc').value, ['mcpServers', 'everything']) as {command: string; args: string[]}
  const doctor = async () => {
    const result = await runCli(['doctor', '--json'], env)
    return {code: result.code, report: JSON.parse(result.stdout) as DoctorReport}
  }

  beforeAll(() => {
    mkdirSync(join(home, '.cursor'), {recursive: true})
    mkdirSync(project, {recursive: true})
    mkdirSync(state, {recursive: true})
    writeFileSync(cursorFile, original)
    writeFileSync(projectFile, original)
    writeFileSync(join(state, 'policy.yaml'), POLICY)
  })
  afterAll(() => dir.cleanup())

  it('a committed project file gets `npx -y agentgov@<this version>`, the user file absolute paths', async () => {
    const user = await runCli(['wrap', cursorFile, '--json'], env)
    expect(user.code, user.stderr).toBe(0)
    const team = await runCli(['wrap', projectFile, '--client', 'claude-code', '--json'], env)
    expect(team.code, team.stderr).toBe(0)
    expect(launchOf(cursorFile).command).toBe(process.execPath)
    expect(launchOf(cursorFile).args[0]).toMatch(/\/bin\/run\.js$/)
    const shared = launchOf(projectFile)
    expect([shared.command, ...shared.args.slice(0, 3)]).toEqual(['npx', '-y', `agentgov@${VERSION}`, 'proxy'])
    expect(readFileSync(projectFile, 'utf8')).not.toContain(dir.path + '/home')
  })

  it('doctor passes when every launcher, the policy, the state directory and the token file are fine', async () => {
    const {code, report} = await doctor()
    expect(code).toBe(0)
    expect(report.summary).toMatchObject({ok: true, broken: 0})
    expect(report.entries.map((e) => `${e.launcher.form}:${e.launcher.ok}:${e.policy.ok}`).sort()).toEqual(['absolute:true:true', 'npx:true:true'])
  })

  it('a stale launcher: status flags it, doctor exits 1 with the fix, wrap repairs it, unwrap restores byte for byte', async () => {
    const text = readFileSync(cursorFile, 'utf8')
    writeFileSync(cursorFile, text.replace(JSON.stringify(process.execPath), JSON.stringify('/gone/node-v18/bin/node')))
    const status = await runCli(['status', '--json'], env)
    const flagged = (JSON.parse(status.stdout) as StatusReport).files.find((f) => f.file === cursorFile)!.servers[0]
    expect(flagged.launcher).toMatchObject({ok: false})
    expect(flagged.launcher!.problem).toContain('/gone/node-v18/bin/node')
    const human = await runCli(['status'], env)
    expect(human.stdout).toContain('broken')
    expect(human.stdout).toContain("agentgov doctor")

    const {code, report} = await doctor()
    expect(code).toBe(1)
    const broken = report.entries.find((e) => e.file === cursorFile)!
    expect(broken.launcher.fix).toBe(`agentgov wrap ${cursorFile}`)

    const repaired = await runCli(['wrap', cursorFile, '--json'], env)
    expect(repaired.code, repaired.stderr).toBe(0)
    expect((JSON.parse(repaired.stdout) as {files: Array<{servers: Array<{action: string}>}>}).files[0].servers[0].action).toBe('repaired')
    expect(launchOf(cursorFile).command).toBe(process.execPath)
    expect((await doctor()).code).toBe(0)

    const unwrapped = await runCli(['unwrap', cursorFile, '--json'], env)
    expect(unwrapped.code, unwrapped.stderr).toBe(0)
    expect(readFileSync(cursorFile, 'utf8')).toBe(original)
  })

  it('a policy that does not compile and a broken token file are named with what to run', async () => {
    writeFileSync(join(state, 'policy.yaml'), 'version: 1\npolicies: [{name: x, rules: [{id: r, action: maybe}]}]\n')
    writeFileSync(join(state, 'tokens.json'), '{"not": "tokens"}')
    const {code, report} = await doctor()
    expect(code).toBe(1)
    const entry = report.entries.find((e) => e.file === projectFile)!
    expect(entry.policy).toMatchObject({ok: false, fix: `agentgov policy lint ${join(state, 'policy.yaml')}`})
    expect(report.tokens.ok).toBe(false)
    expect(report.tokens.fix).toContain('agentgov tokens add')
    const human = await runCli(['doctor'], env)
    expect(human.code).toBe(1)
    expect(human.stdout).toContain('fix: agentgov policy lint')
  })
})
