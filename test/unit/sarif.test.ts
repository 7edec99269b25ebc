import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {discover} from '../../src/discovery/index.js'
import {helpUriOf, makeFinding, RULES, type RuleId} from '../../src/discovery/rules.js'
import {findingsLeftOutOfSarif, toSarif} from '../../src/discovery/sarif.js'
import {hostFromEnv} from '../../src/host.js'
import {FINGERPRINT_KEY, MAX_LOCATIONS, type SarifInput, sarifLog, type SarifLogResult} from '../../src/sarif.js'
import {expectValidSarif} from '../helpers/sarif.js'
import {tempDir, writeTree} from '../helpers/tree.js'

const RULE = {id: 'leak', title: 'A leak', description: 'A leak.', help: 'Plug it.', helpUri: 'https://example.test/doc#leak', severity: 'high', alsoSeverities: ['critical'], tags: ['x']} as const
const NOTE = {id: 'seen', title: 'Seen', description: 'Seen.', help: 'Nothing to do.', helpUri: 'https://example.test/doc#seen', severity: 'info'} as const

function log(results: SarifInput['results'], root = '/repo') {
  const out = sarifLog({tool: {name: 't', version: '1.2.3'}, rules: [RULE, NOTE], results, root})
  expectValidSarif(out)
  return out.runs[0]
}

const leak = (line: number, extra: Partial<SarifInput['results'][number]> = {}) =>
  ({rule: 'leak', severity: 'high', message: 'Leaked.', locations: [{file: '/repo/app/my file.json', line, column: 9}], subject: 'servers.a', ...extra}) as const

describe('the SARIF validator every SARIF test uses', () => {
  it('fails on a log that is not SARIF 2.1.0', () => {
    const good = sarifLog({tool: {name: 't', version: '1.0.0'}, rules: [RULE], results: [leak(3)]})
    expectValidSarif(good)
    const badLevel = structuredClone(good) as unknown as {runs: Array<{results: Array<Record<string, unknown>>}>}
    badLevel.runs[0].results[0].level = 'critical'
    expect(() => expectValidSarif(badLevel)).toThrow(/not valid SARIF 2\.1\.0[\s\S]*level/)
    const noMessage = structuredClone(good) as unknown as {runs: Array<{results: Array<Record<string, unknown>>}>}
    delete noMessage.runs[0].results[0].message
    expect(() => expectValidSarif(noMessage)).toThrow(/message/)
    expect(() => expectValidSarif({version: '2.0.0', runs: []})).toThrow(/version/)
  })
})

describe('sarifLog', () => {
  it('gives a raised result a rule of its own, so code scanning shows its severity', () => {
    const run = log([leak(3), leak(4, {severity: 'critical', subject: 'servers.b'})])
    const rules = run.tool.driver.rules
    // The table is the declared one whatever the results: base, its raised variant, then the note.
    expect(rules.map((r) => r.id)).toEqual(['leak', 'leak/critical', 'seen'])
    expect(rules.map((r) => r.properties['security-severity'])).toEqual(['8.0', '9.5', undefined])
    expect(rules[2].properties.tags).not.toContain('security')
    expect(log([]).tool.driver.rules).toEqual(rules)
    const [high, critical] = run.results
    expect([high.ruleId, high.level, rules[high.ruleIndex].id]).toEqual(['leak', 'error', 'leak'])
    expect([critical.ruleId, critical.level, rules[critical.ruleIndex].properties['security-severity']]).toEqual(['leak/critical', 'error', '9.5'])
  })

  it('writes paths under the root relative to it, encoded as URIs, with line and column', () => {
    const [result] = log([leak(3)]).results
    expect(result.locations[0].physicalLocation).toEqual({artifactLocation: {uri: 'app/my%20file.json', uriBaseId: 'SRCROOT'}, region: {startLine: 3, startColumn: 9}})
    const [outside] = log([leak(3, {locations: [{file: '/home/me/.cursor/mcp.json'}]})]).results
    expect(outside.locations[0].physicalLocation).toEqual({artifactLocation: {uri: 'file:///home/me/.cursor/mcp.json'}})
  })

  it('fingerprints a result by rule, file and subject: not by line, order or checkout', () => {
    const print = (r: SarifLogResult) => r.partialFingerprints[FINGERPRINT_KEY]
    const [a, b] = log([leak(3), leak(3, {subject: 'servers.b'})]).results
    const [bMoved, aMoved] = log([leak(40, {subject: 'servers.b'}), leak(41)]).results
    expect(print(a)).toMatch(/^[0-9a-f]{32}$/)
    expect(print(aMoved)).toBe(print(a))
    expect(print(bMoved)).toBe(print(b))
    expect(print(b)).not.toBe(print(a))
    const elsewhere = sarifLog({tool: {name: 't', version: '1'}, rules: [RULE], results: [leak(3, {locations: [{file: '/ci/work/app/my file.json', line: 3}]})], root: '/ci/work'})
    expect(print(elsewhere.runs[0].results[0])).toBe(print(a))
  })

  it('keeps at most the locations code scanning accepts in one result, and says how many it left out', () => {
    const files = Array.from({length: MAX_LOCATIONS + 5}, (_, i) => ({file: `/repo/src/f${i}.ts`, line: 1}))
    const [result] = log([{rule: 'seen', severity: 'info', message: 'Seen.', locations: [files[0], ...files.slice(1)], subject: 'x'}]).results
    expect(result.locations).toHaveLength(MAX_LOCATIONS)
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('src/f0.ts')
    expect(result.properties.locationsLeftOut).toBe(5)
  })

  it('refuses a result of a rule it was not given', () => {
    expect(() => sarifLog({tool: {name: 't', version: '1'}, rules: [RULE], results: [{...leak(1), rule: 'other'}]})).toThrow(/rule table/)
  })
})

describe('discover --sarif', () => {
  const host = hostFromEnv({HOME: '/nonexistent'}, 'linux')
  const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'
  const MCP = {mcpServers: {notes: {command: 'uvx', args: ['mcp-notes==1.0.0']}, github: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: {GITHUB_TOKEN: TOKEN}}}}

  async function scan(files: Record<string, object | string>) {
    const dir = tempDir('agentgov-sarif-')
    try {
      writeTree(dir.path, files)
      const inventory = await discover({host, machine: false, processes: false, repositories: [dir.path]})
      const sarif = toSarif(inventory)
      expectValidSarif(sarif)
      return sarif.runs[0]
    } finally {
      dir.cleanup()
    }
  }

  const located = (run: Awaited<ReturnType<typeof scan>>, ruleId: string) => {
    const result = run.results.find((r) => r.ruleId === ruleId)
    expect(result, `no ${ruleId} result`).toBeDefined()
    return {...result!.locations[0].physicalLocation, fingerprint: result!.partialFingerprints[FINGERPRINT_KEY]}
  }

  it('points a committed secret at its own value, as a critical result, and keeps its fingerprint when lines move', async () => {
    const text = JSON.stringify(MCP, null, 2)
    const run = await scan({'.mcp.json': text})
    const secret = located(run, 'secret-in-config/critical')
    const lines = text.split('\n')
    const line = lines.findIndex((l) => l.includes(TOKEN)) + 1
    expect(secret.region).toEqual({startLine: line, startColumn: lines[line - 1].indexOf(`"${TOKEN}"`) + 1})
    expect(secret.artifactLocation).toEqual({uri: '.mcp.json', uriBaseId: 'SRCROOT'})
    const rule = run.tool.driver.rules.find((r) => r.id === 'secret-in-config/critical')
    expect(rule?.properties['security-severity']).toBe('9.5')
    // The unpinned package, at the argument that names it.
    const unpinned = located(run, 'unpinned-package')
    expect(unpinned.region?.startLine).toBe(lines.findIndex((l) => l.includes('"@modelcontextprotocol/server-github"')) + 1)

    const moved = await scan({'.mcp.json': `\n\n\n${text}`})
    expect(located(moved, 'secret-in-config/critical')).toMatchObject({region: {startLine: line + 3}, fingerprint: secret.fingerprint})
    expect(located(moved, 'unpinned-package').fingerprint).toBe(unpinned.fingerprint)
  })

  it('finds the value in YAML and TOML files too', async () => {
    const yaml = `name: tools\nmcpServers:\n  - name: github\n    command: npx\n    args: ["-y", "@modelcontextprotocol/server-github@1.0.0"]\n    env:\n      GITHUB_TOKEN: ${TOKEN}\n`
    const toml = `[mcp_servers.github]\ncommand = "npx"\nargs = ["-y", "@modelcontextprotocol/server-github@1.0.0"]\n\n[mcp_servers.github.env]\nGITHUB_TOKEN = "${TOKEN}"\n`
    const run = await scan({'.continue/mcpServers/github.yaml': yaml, '.codex/config.toml': toml})
    const secrets = run.results.filter((r) => r.ruleId.startsWith('secret-in-config'))
    const where = Object.fromEntries(secrets.map((r) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region]))
    expect(where).toEqual({
      '.codex/config.toml': {startLine: 6, startColumn: 16},
      '.continue/mcpServers/github.yaml': {startLine: 7, startColumn: 21},
    })
  })

  it('points a plain-HTTP remote at its URL and a broad root at its argument; a trusted entry with no tool named at the entry', async () => {
    const cursor = JSON.stringify({mcpServers: {remote: {url: 'http://mcp.example.com/mcp'}, fs: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@1.0.0', '/']}}}, null, 2)
    const gemini = JSON.stringify({mcpServers: {local: {command: 'node', args: ['server.js'], trust: true}}}, null, 2)
    const run = await scan({'.cursor/mcp.json': cursor, '.gemini/settings.json': gemini})
    const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1
    expect(located(run, 'plain-http-remote').region?.startLine).toBe(lineOf(cursor, '"http://mcp.example.com/mcp"'))
    expect(located(run, 'broad-filesystem-root').region?.startLine).toBe(lineOf(cursor, '"/"'))
    expect(located(run, 'auto-approved-tools/high')).toMatchObject({artifactLocation: {uri: '.gemini/settings.json'}, region: {startLine: lineOf(gemini, '"local"')}})
  })

  it('leaves out findings about no file (running processes), which code scanning would reject the whole log for', async () => {
    const inventory = await discover({host, machine: false, processes: false, repositories: []})
    const processFinding = makeFinding('secret-in-process', {subject: '4242', message: 'Process 4242 (node) carries a secret in its arguments.'})
    inventory.findings.push(processFinding)
    const sarif = toSarif(inventory)
    expectValidSarif(sarif)
    expect(sarif.runs[0].results.filter((r) => r.ruleId === 'secret-in-process')).toEqual([])
    expect(findingsLeftOutOfSarif(inventory)).toEqual([processFinding])
  })

  it('documents every rule at an anchor that exists in docs/findings.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'findings.md'), 'utf8')
    const anchors = new Set([...doc.matchAll(/^#{2,3} (.+)$/gm)].map((m) => githubAnchor(m[1])))
    const repository = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {repository: {url: string}}).repository.url
    for (const id of Object.keys(RULES) as RuleId[]) {
      const uri = helpUriOf(id)
      expect(uri.startsWith(repository.replace(/^git\+/, '').replace(/\.git$/, '') + '/blob/main/docs/findings.md#'), uri).toBe(true)
      expect(anchors, `docs/findings.md has no section for ${id}`).toContain(new URL(uri).hash.slice(1))
    }
  })
})

/** The anchor GitHub gives a Markdown heading: lower case, punctuation but - and _ dropped, spaces to -. */
function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replaceAll(/[^\p{L}\p{N}\s_-]/gu, '').replaceAll(' ', '-')
}
