import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli, tempDir} from '../helpers/tree.js'

// Synthetic tokens in the shapes of real ones (the GitHub one with a valid checksum is not needed: the shape is enough).
const GITHUB = 'ghp_R8fLq2VxT0mZ9cWbN4yKs7HdJ3gA1eUoPiQ6'
const PASSWORD = 'tr0ub4dor&3-horse'
const SLACK = 'xoxb-2048561937-7730112298841-Zr4kTq9WmXv2Lp8NcYb3HsDf'

describe('no command prints a secret from a client config', () => {
  const dir = tempDir()
  const home = join(dir.path, 'home')
  const env = {HOME: home, AGENTGOV_HOME: join(dir.path, 'state'), AGENTGOV_PLATFORM: 'linux'}
  const file = join(home, '.cursor', 'mcp.json')
  mkdirSync(join(home, '.cursor'), {recursive: true})
  const config = `{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB}", "DB_PASSWORD": "${PASSWORD}"}
    },
    "slack": {"command": "slack-mcp", "args": ["--token", "${SLACK}"]}
  }
}
`
  writeFileSync(file, config)
  afterAll(() => dir.cleanup())

  const leaks = (text: string): string[] => [GITHUB, PASSWORD, SLACK, GITHUB.slice(8), SLACK.slice(20)].filter((s) => text.includes(s))

  it('wrap --dry-run shows the diff with every secret redacted and changes nothing', async () => {
    const result = await runCli(['wrap', file, '--dry-run'], env)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('agentgov')
    expect(result.stdout).toContain('GITHUB_PERSONAL_ACCESS_TOKEN')
    expect(leaks(result.stdout + result.stderr)).toEqual([])
    expect(readFileSync(file, 'utf8')).toBe(config)
  })

  it('wrap --dry-run --json and discover --json print no secret either', async () => {
    for (const argv of [['wrap', file, '--dry-run', '--json'], ['discover', '--json', '--no-processes'], ['discover', '--no-processes']]) {
      const result = await runCli(argv, env)
      expect(leaks(result.stdout + result.stderr), argv.join(' ')).toEqual([])
    }
  })
})
