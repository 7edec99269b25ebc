import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {runCli, tempDir, writeTree} from '../helpers/tree.js'

describe('wrap without a policy', () => {
  it('warns that wrapped servers will not start until a policy exists, and not when one does', async () => {
    const dir = tempDir()
    const env = {HOME: dir.path, AGENTGOV_HOME: join(dir.path, 'state'), AGENTGOV_PLATFORM: 'linux'}
    writeTree(dir.path, {'.cursor/mcp.json': {mcpServers: {fs: {command: 'npx', args: ['-y', 'pkg@1.0.0']}}}})
    const bare = await runCli(['wrap', '--all'], env)
    expect(bare.code).toBe(0)
    expect(bare.stderr).toContain('there is no policy at')
    expect(bare.stderr).toContain('agentgov policy init')

    await runCli(['unwrap', '--all'], env)
    writeTree(dir.path, {'policy.yaml': 'policies:\n  - name: p\n    agent: "*"\n    rules:\n      - tools: ["fs.*"]\n        action: allow\n'})
    const withPolicy = await runCli(['wrap', '--all', '--policy', join(dir.path, 'policy.yaml')], env)
    expect(withPolicy.code).toBe(0)
    expect(withPolicy.stderr).toBe('')
    dir.cleanup()
  })
})
