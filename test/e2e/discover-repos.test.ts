import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Inventory} from '../../src/discovery/types.js'
import {runCli, runInTerminal, tempDir, writeTree} from '../helpers/tree.js'

/** A folder of repositories as `agentgov discover ~/code` meets it, with enough files to take a while. */
function codeTree(root: string): void {
  const files: Record<string, object | string> = {
    'api/.git/HEAD': 'x',
    'api/package.json': {name: 'api', dependencies: {'@langchain/langgraph': '^0.3.0'}},
    'api/.gitignore': 'scratch/\n',
    'api/scratch/try.py': 'import crewai\n',
    'api/legacy/old.mjs': "import {Agent} from '@mastra/core/agent'\n",
    'scripts/pyproject.toml': '[project]\nname = "scripts"\ndependencies = ["dspy"]\n',
  }
  for (let i = 0; i < 12; i++) files[`api/src/agents/a${i}.mjs`] = "import {StateGraph} from '@langchain/langgraph'\n"
  for (let i = 0; i < 4000; i++) files[`api/src/m${i % 40}/f${i}.mjs`] = "import {readFile} from 'node:fs/promises'\n"
  writeTree(root, files)
}

describe('agentgov discover on a folder of repositories', () => {
  let home: {path: string; cleanup: () => void}
  let code: string
  const env = () => ({HOME: home.path})

  beforeAll(() => {
    home = tempDir('agentgov-code-e2e-')
    code = `${home.path}/code`
    codeTree(code)
  })

  afterAll(() => home.cleanup())

  it('prints one entry per repository, and the first files of each framework with how to see the rest', async () => {
    const result = await runCli(['discover', code, '--no-machine', '--no-processes'], {...env(), COLUMNS: '120'})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Repositories (2, riskiest first)')
    expect(result.stdout).toMatch(/~\/code\/api git · 3 frameworks/)
    expect(result.stdout).toMatch(/LangGraph 13 files: package\.json, src\/agents\/a0\.mjs, src\/agents\/a1\.mjs \+10 more/)
    expect(result.stdout).toMatch(/~\/code\/scripts project · 1 framework/)
    expect(result.stdout).toContain('Every file of every repository: agentgov discover ~/code --json')
  })

  it('--exclude and --gitignore narrow the walk; stdout holds the JSON alone', async () => {
    const all = await runCli(['discover', code, '--no-machine', '--no-processes', '--json'], env())
    const narrowed = await runCli(['discover', code, '--no-machine', '--no-processes', '--json', '--exclude', 'legacy/', '--exclude', 'scripts', '--gitignore'], env())
    expect(narrowed.code).toBe(0)
    const ids = (stdout: string) => (JSON.parse(stdout) as Inventory).repositories.map((r) => [r.path.slice(code.length + 1), r.frameworks.map((f) => f.framework)])
    expect(ids(all.stdout)).toEqual([
      ['api', ['crewai', 'langgraph', 'mastra']],
      ['scripts', ['dspy']],
    ])
    expect(ids(narrowed.stdout)).toEqual([['api', ['langgraph']]])
    // Not a terminal: no progress line anywhere.
    expect(all.stderr).not.toContain('scanning')
  })

  it('shows a progress line on stderr when it is a terminal, and erases it', async () => {
    const {code: exit, output} = await runInTerminal(['discover', code, '--no-machine', '--no-processes'], env())
    expect(exit).toBe(0)
    expect(output).toMatch(/scanning: \d+ repositor(y|ies), [\d,]+ files…/)
    expect(output).toContain('\r\u001B[K')
    expect(output).toContain('Repositories (2, riskiest first)')
  })
})
