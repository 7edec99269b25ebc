import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {SERVERS} from '../helpers/mcp.js'
import {runCli, runInTerminal, tempDir} from '../helpers/tree.js'

describe('scan tells a terminal how far it is, and nobody else', () => {
  const dir = tempDir()
  const project = join(dir.path, 'project')
  const config = join(project, '.mcp.json')
  mkdirSync(project, {recursive: true})
  mkdirSync(join(dir.path, 'home'))
  const server = (args: string[]) => ({command: process.execPath, args})
  writeFileSync(config, JSON.stringify({mcpServers: {fs: server([SERVERS.filesystem, project]), ev: server([SERVERS.everything, 'stdio'])}}, null, 2))
  const env = {HOME: join(dir.path, 'home'), AGENTGOV_HOME: join(dir.path, 'state'), AGENTGOV_PLATFORM: 'linux'}
  afterAll(() => dir.cleanup())

  it('shows a progress line on stderr in a terminal over the real servers, and erases it', async () => {
    const {code, output} = await runInTerminal(['scan', config, '--client', 'claude-code', '--yes'], env)
    expect(code, output).toBe(0)
    expect(output).toMatch(/scanning: \d\/2 servers/)
    expect(output).toContain('\r\u001B[K')
  })

  it('prints no progress when stderr is not a terminal', async () => {
    const result = await runCli(['scan', config, '--client', 'claude-code', '--yes', '--json'], env)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('scanning:')
    // Both servers were really started and listed: the line above had something to count.
    expect(result.stdout).toContain('read_text_file')
  })
})
