import {cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ClientAdapter, ProjectConfig} from '../../src/clients/types.js'
import {redactValue} from '../../src/detect/redact.js'
import {NPM_FRAMEWORKS, PYPI_FRAMEWORKS} from '../../src/discovery/frameworks.js'
import {isPlaceholder, providerOfValue} from '../../src/discovery/provider-keys.js'
import {type RepoScanResult, scanRepositories} from '../../src/discovery/repos.js'
import type {EvidenceRecord, FrameworkRecord, RepositoryRecord} from '../../src/discovery/types.js'
import {FIXTURES} from '../helpers/clients.js'

/** A small catalogue of its own, so these tests do not depend on which adapters exist yet. */
function adapter(id: string, projectConfigs: ProjectConfig[]): ClientAdapter {
  return {id, name: id, machineConfigs: () => [], projectConfigs, read: () => ({servers: []})}
}

const ADAPTERS: ClientAdapter[] = [
  adapter('claude-code', [{path: '.mcp.json', format: 'json'}]),
  adapter('cursor', [{path: '.cursor/mcp.json', format: 'json'}]),
  adapter('vscode', [{path: '.vscode/mcp.json', format: 'jsonc'}]),
  adapter('continue', [
    {path: '.continue/mcpServers/*.yaml', format: 'yaml'},
    {path: '.continue/mcpServers/*.json', format: 'json'},
  ]),
  adapter('opencode', [{path: 'opencode.{json,jsonc}', format: 'jsonc'}]),
  adapter('copilot-cli', [
    {path: '.mcp.json', format: 'json'},
    {path: '.github/mcp.json', format: 'json'},
  ]),
]

// Built at run time so no key-shaped literal sits in the source tree.
const ANTHROPIC_KEY = ['sk', 'ant', 'api03', 'Qm7Rt2Xv9Lp4Kd8Ns1Wb6Hc3Jf5Gz0Ye'].join('-')
const MISTRAL_KEY = 'Zq8WmR3tLp0vXe7KbN2cYh5Jd9SfGa4U'

let tmp: string
let work: string
let result: RepoScanResult

/** Git refuses to store directories named .git, so fixtures become repositories in a temp copy. */
function makeWorkspace(): string {
  const dir = join(tmp, `ws-${Math.random().toString(36).slice(2)}`)
  for (const repo of ['py-agent', 'ts-app', 'monorepo']) {
    cpSync(join(FIXTURES, 'repos', repo), join(dir, repo), {recursive: true})
    mkdirSync(join(dir, repo, '.git', 'objects'), {recursive: true})
  }

  // TypeScript sources are written here: in the fixture tree the project's own tsc would check them.
  write(join(dir, 'monorepo', 'packages', 'api', 'src', 'agent.ts'), "import {Agent} from '@mastra/core/agent'\n\nexport const agent = new Agent()\n")
  write(join(dir, 'ts-app', 'src', 'types.d.ts'), "import type {Agent} from '@openai/agents'\n")
  write(join(dir, 'py-agent', '.env.local'), `# local only\nexport LLM_KEY='${ANTHROPIC_KEY}'\n`)
  return dir
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, text)
}

function repo(scan: RepoScanResult, path: string): RepositoryRecord {
  const found = scan.repositories.find((r) => r.path === path)
  if (!found) throw new Error(`no repository ${path} in ${scan.repositories.map((r) => r.path).join(', ')}`)
  return found
}

/** `framework:kind` once per kind of evidence the repository holds for it. */
function frameworks(record: {frameworks: FrameworkRecord[]}): string[] {
  return [...new Set(record.frameworks.flatMap((f) => f.evidence.map((e) => `${f.framework}:${e.kind}`)))].sort()
}

/** The first file of that kind (they are sorted by path). */
function evidence(record: RepositoryRecord, framework: string, kind: EvidenceRecord['kind']) {
  return record.frameworks.find((f) => f.framework === framework)?.evidence.find((e) => e.kind === kind)
}

function relative(record: RepositoryRecord, paths: string[]): string[] {
  return paths.map((p) => p.slice(record.path.length + 1)).sort()
}

function listing(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .map((entry) => `${join(entry.parentPath, entry.name)}:${statSync(join(entry.parentPath, entry.name)).mtimeMs}`)
    .sort()
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'agentgov-repos-'))
  work = makeWorkspace()
  result = await scanRepositories([work], ADAPTERS)
})

afterAll(() => {
  rmSync(tmp, {recursive: true, force: true})
})

describe('scanRepositories: a folder of repositories', () => {
  it('reports one record per repository and not the folder that holds them', () => {
    expect(result.repositories.map((r) => r.path)).toEqual([join(work, 'monorepo'), join(work, 'py-agent'), join(work, 'ts-app')])
  })

  it('finds Python frameworks from pyproject, requirements and imports, and nothing from decoys', () => {
    const py = repo(result, join(work, 'py-agent'))
    expect(frameworks(py)).toEqual([
      'crewai:dependency',
      'google-adk:import',
      'langgraph:dependency',
      'langgraph:import',
      'mcp-sdk:dependency',
      'openai-agents:import',
      'pydantic-ai:dependency',
    ])
    expect(evidence(py, 'langgraph', 'dependency')).toMatchObject({file: join(work, 'py-agent', 'pyproject.toml'), line: 5, package: 'langgraph', language: 'python'})
    expect(evidence(py, 'mcp-sdk', 'dependency')).toMatchObject({line: 10, package: 'fastmcp'})
    expect(evidence(py, 'pydantic-ai', 'dependency')).toMatchObject({line: 13, package: 'Pydantic_AI'})
    expect(evidence(py, 'crewai', 'dependency')).toMatchObject({file: join(work, 'py-agent', 'requirements.txt'), line: 2})
    expect(evidence(py, 'langgraph', 'import')).toMatchObject({file: join(work, 'py-agent', 'src', 'agent', 'graph.py'), line: 6, package: 'langgraph.graph'})
    // The SDK's own shape (`from agents import (Agent, Runner)`), not local.py's `import agents`.
    expect(evidence(py, 'openai-agents', 'import')).toMatchObject({file: join(work, 'py-agent', 'src', 'agent', 'graph.py'), line: 7})
    expect(evidence(py, 'google-adk', 'import')).toMatchObject({line: 3, package: 'google.adk.agents'})
  })

  it('finds JavaScript frameworks from every dependency field and from import and require', () => {
    const ts = repo(result, join(work, 'ts-app'))
    expect(frameworks(ts)).toEqual(['langgraph:dependency', 'mcp-sdk:dependency', 'mcp-sdk:import', 'vercel-ai:dependency', 'vercel-ai:import'])
    expect(evidence(ts, 'vercel-ai', 'import')).toMatchObject({file: join(work, 'ts-app', 'src', 'index.mjs'), line: 4, package: 'ai', language: 'javascript'})
    expect(evidence(ts, 'mcp-sdk', 'import')).toMatchObject({file: join(work, 'ts-app', 'src', 'server.js'), line: 2, package: '@modelcontextprotocol/sdk'})
    expect(evidence(ts, 'mcp-sdk', 'dependency')).toMatchObject({file: join(work, 'ts-app', 'package.json'), package: '@modelcontextprotocol/sdk'})
    // @langchain/langgraph is LangGraph, not LangChain.
    expect(evidence(ts, 'langgraph', 'dependency')?.line).toBe(12)
  })

  it('finds Go modules and imports, and ignores commented imports and vendor', () => {
    const mono = repo(result, join(work, 'monorepo'))
    expect(frameworks(mono)).toEqual(['mastra:dependency', 'mastra:import', 'mcp-sdk:dependency', 'mcp-sdk:import'])
    expect(evidence(mono, 'mcp-sdk', 'dependency')).toMatchObject({file: join(work, 'monorepo', 'go-svc', 'go.mod'), line: 8, language: 'go'})
    expect(evidence(mono, 'mcp-sdk', 'import')).toMatchObject({file: join(work, 'monorepo', 'go-svc', 'main.go'), line: 7, package: 'github.com/mark3labs/mcp-go/server'})
    expect(evidence(mono, 'mastra', 'import')).toMatchObject({file: join(work, 'monorepo', 'packages', 'api', 'src', 'agent.ts'), line: 1})
  })

  it('lists project MCP configs where clients read them, at the root and in package directories', () => {
    expect(relative(repo(result, join(work, 'ts-app')), repo(result, join(work, 'ts-app')).mcpConfigs)).toEqual(['.cursor/mcp.json', '.vscode/mcp.json'])
    expect(relative(repo(result, join(work, 'monorepo')), repo(result, join(work, 'monorepo')).mcpConfigs)).toEqual([
      'packages/api/.vscode/mcp.json',
      'packages/web/.continue/mcpServers/db.yaml',
      'packages/web/opencode.json',
    ])
    expect(repo(result, join(work, 'py-agent')).mcpConfigs).toEqual([join(work, 'py-agent', '.mcp.json')])
  })

  it('gives the pipeline one config row per client that reads the file, with its format', () => {
    const rows = result.configFiles.map((f) => `${f.path.slice(work.length + 1)} ${f.client} ${f.format} ${f.repository.slice(work.length + 1)}`)
    expect(rows).toEqual([
      'monorepo/packages/api/.vscode/mcp.json vscode jsonc monorepo',
      'monorepo/packages/web/.continue/mcpServers/db.yaml continue yaml monorepo',
      'monorepo/packages/web/opencode.json opencode jsonc monorepo',
      'py-agent/.mcp.json claude-code json py-agent',
      'py-agent/.mcp.json copilot-cli json py-agent',
      'ts-app/.cursor/mcp.json cursor json ts-app',
      'ts-app/.vscode/mcp.json vscode jsonc ts-app',
    ])
  })

  it('lists instruction files with the clients that read them', () => {
    const ts = repo(result, join(work, 'ts-app'))
    expect(ts.instructionFiles.map((f) => [f.path.slice(ts.path.length + 1), f.kind])).toEqual([
      ['.cursor/rules/style.mdc', '.cursor/rules'],
      ['.cursorrules', '.cursorrules'],
      ['.github/copilot-instructions.md', 'copilot-instructions.md'],
      ['AGENTS.md', 'AGENTS.md'],
    ])
    expect(ts.instructionFiles.find((f) => f.kind === 'AGENTS.md')?.agents).toEqual(expect.arrayContaining(['codex', 'cursor', 'vscode']))
    expect(ts.instructionFiles.find((f) => f.kind === 'AGENTS.md')?.agents).not.toContain('claude-code')
    const mono = repo(result, join(work, 'monorepo'))
    expect(mono.instructionFiles).toEqual([{path: join(work, 'monorepo', 'packages', 'api', 'CLAUDE.md'), kind: 'CLAUDE.md', agents: ['claude-code', 'zed']}])
  })

  it('reports literal provider keys in .env files by name and redacted value only', () => {
    const py = repo(result, join(work, 'py-agent'))
    expect(py.envFiles).toEqual([
      {path: join(work, 'py-agent', '.env'), keys: [{name: 'MISTRAL_API_KEY', provider: 'Mistral', line: 2, redacted: redactValue(MISTRAL_KEY)}]},
      {path: join(work, 'py-agent', '.env.local'), keys: [{name: 'LLM_KEY', provider: 'Anthropic', line: 2, redacted: redactValue(ANTHROPIC_KEY)}]},
    ])
    const text = JSON.stringify(result)
    expect(text).not.toContain(MISTRAL_KEY)
    expect(text).not.toContain(ANTHROPIC_KEY)
  })

  it('never reports anything from dependency, build, cache or virtualenv trees', () => {
    const text = JSON.stringify(result)
    for (const decoy of ['node_modules', '.venv', '/dist/', '/coverage/', '.next', '__pycache__', 'tools/env', 'vendor', '.env.example', '/cursor/mcp.json', '.cursor/extra']) {
      expect(text).not.toContain(decoy)
    }

    for (const name of ['llamaindex', 'langchain', 'haystack', 'autogen']) {
      expect(result.repositories.flatMap((r) => r.frameworks.map((f) => f.framework))).not.toContain(name)
    }
  })

  it('counts only files in the directories it walks', async () => {
    const scan = await scanRepositories([join(work, 'ts-app')], ADAPTERS)
    // package.json, 4 in src (one .d.ts), 6 config and instruction files, cursor/mcp.json, .cursor/extra/mcp.json
    expect(scan.filesVisited).toBe(13)
  })
})

describe('scanRepositories: roots and repository boundaries', () => {
  it('treats a root that is a repository as one repository', async () => {
    const scan = await scanRepositories([join(work, 'ts-app')], ADAPTERS)
    expect(scan.repositories.map((r) => r.path)).toEqual([join(work, 'ts-app')])
  })

  it('drops a root inside another root and survives one that does not exist', async () => {
    const scan = await scanRepositories([work, join(work, 'ts-app'), join(work, 'missing')], ADAPTERS)
    expect(scan.repositories.map((r) => r.path)).toEqual(result.repositories.map((r) => r.path))
    expect(scan.configFiles).toEqual(result.configFiles)
  })

  it('uses the root itself when no .git is found, and reports loose findings beside repositories', async () => {
    const plain = join(tmp, 'plain')
    write(join(plain, 'tool', 'AGENTS.md'), '# loose\n')
    const alone = await scanRepositories([plain], ADAPTERS)
    expect(alone.repositories.map((r) => r.path)).toEqual([plain])
    expect(alone.repositories[0].instructionFiles.map((f) => f.path)).toEqual([join(plain, 'tool', 'AGENTS.md')])

    write(join(plain, 'repo', 'package.json'), '{"dependencies": {"ai": "4"}}')
    mkdirSync(join(plain, 'repo', '.git'))
    const mixed = await scanRepositories([plain], ADAPTERS)
    expect(mixed.repositories.map((r) => r.path)).toEqual([plain, join(plain, 'repo')])
    expect(frameworks(mixed.repositories[1])).toEqual(['vercel-ai:dependency'])
    expect(mixed.repositories[0].frameworks).toEqual([])
  })

  it('gives a nested repository (a submodule, a .git file) its own record', async () => {
    const ws = makeWorkspace()
    write(join(ws, 'ts-app', 'third_party', 'lib', '.git'), 'gitdir: ../../.git/modules/lib\n')
    write(join(ws, 'ts-app', 'third_party', 'lib', 'requirements.txt'), 'haystack-ai\n')
    const scan = await scanRepositories([join(ws, 'ts-app')], ADAPTERS)
    expect(scan.repositories.map((r) => r.path)).toEqual([join(ws, 'ts-app'), join(ws, 'ts-app', 'third_party', 'lib')])
    expect(frameworks(scan.repositories[1])).toEqual(['haystack:dependency'])
    expect(frameworks(scan.repositories[0])).not.toContain('haystack:dependency')
  })

  it('never follows a symlinked directory, but reads a symlinked config file', async () => {
    const ws = makeWorkspace()
    const outside = join(tmp, 'outside')
    write(join(outside, '.cursor', 'mcp.json'), '{"mcpServers": {}}')
    write(join(outside, 'package.json'), '{"dependencies": {"@mastra/core": "1"}}')
    write(join(outside, 'shared.mcp.json'), '{"mcpServers": {}}')
    symlinkSync(outside, join(ws, 'ts-app', 'linked'), 'dir')
    // A loop must not hang the walk.
    symlinkSync(join(ws, 'ts-app'), join(ws, 'ts-app', 'src', 'loop'), 'dir')
    symlinkSync(join(outside, 'shared.mcp.json'), join(ws, 'ts-app', '.mcp.json'))
    // Dangling and self-referencing links are skipped, not thrown.
    symlinkSync(join(ws, 'ts-app', 'AGENTS.md.gone'), join(ws, 'ts-app', 'CLAUDE.md'))
    symlinkSync('GEMINI.md', join(ws, 'ts-app', 'GEMINI.md'))
    const scan = await scanRepositories([join(ws, 'ts-app')], ADAPTERS)
    const ts = scan.repositories[0]
    expect(relative(ts, ts.mcpConfigs)).toEqual(['.cursor/mcp.json', '.mcp.json', '.vscode/mcp.json'])
    expect(frameworks(ts)).not.toContain('mastra:dependency')
  })

  it('writes nothing', async () => {
    const before = listing(work)
    await scanRepositories([work], ADAPTERS)
    expect(listing(work)).toEqual(before)
  })
})

describe('scanRepositories: matching rules', () => {
  it('matches generic names like mcp.json only when an adapter claims them, then in any directory', async () => {
    const dir = join(tmp, 'generic')
    write(join(dir, 'mcp.json'), '{}')
    write(join(dir, 'config', 'mcp.json'), '{}')
    write(join(dir, '.github', 'mcp.json'), '{}')
    const without = await scanRepositories([dir], ADAPTERS)
    expect(without.configFiles.map((f) => f.path)).toEqual([join(dir, '.github', 'mcp.json')])
    const claimed = await scanRepositories([dir], [...ADAPTERS, adapter('generic', [{path: 'mcp.json', format: 'json'}])])
    expect(claimed.configFiles.filter((f) => f.client === 'generic').map((f) => f.path)).toEqual([
      join(dir, '.github', 'mcp.json'),
      join(dir, 'config', 'mcp.json'),
      join(dir, 'mcp.json'),
    ])
  })

  it('does not take ai-prefixed packages for the Vercel AI SDK, nor a local agents package for the OpenAI SDK', async () => {
    const dir = join(tmp, 'ambiguous')
    write(join(dir, 'package.json'), JSON.stringify({dependencies: {airtable: '1', 'ai-utils': '1', '@ai-sdkx/core': '1'}}))
    write(join(dir, 'requirements.txt'), 'aiohttp\nagents\nmcp-utils\n')
    write(join(dir, 'a.mjs'), "import x from 'airtable'\nimport y from 'ai-utils/sub'\nconst z = require('aim')\n")
    write(join(dir, 'b.py'), 'import agents\nfrom agents import Agent\nfrom agents.models import Runner\nimport mcputil\n')
    // Names that are also Object.prototype members must not be looked up as catalogue entries.
    write(join(dir, 'odd.constructor'), 'import crewai\n')
    write(join(dir, '.env'), 'constructor=a-long-enough-literal-value\ntoString=another-long-literal-value\n')
    const scan = await scanRepositories([dir], ADAPTERS)
    expect(scan.repositories[0].frameworks).toEqual([])
    expect(scan.repositories[0].envFiles).toEqual([])
  })

  it('reads only the head of a large source file', async () => {
    const dir = join(tmp, 'large')
    write(join(dir, 'early.py'), `from crewai import Crew\n${'x = 1\n'.repeat(10_000)}`)
    write(join(dir, 'late.py'), `${'x = 1\n'.repeat(10_000)}from autogen import AssistantAgent\n`)
    const scan = await scanRepositories([dir], ADAPTERS)
    expect(frameworks(scan.repositories[0])).toEqual(['crewai:import'])
  })

  it('keeps every file that shows a framework, once per file and kind, at its first line', async () => {
    const dir = join(tmp, 'repeat')
    write(join(dir, 'z', 'deep', 'a.py'), 'import crewai\n')
    write(join(dir, 'b.py'), 'import os\nfrom crewai import Crew\nimport crewai.tools\n')
    write(join(dir, 'c.py'), 'import crewai.tools\n')
    const scan = await scanRepositories([dir], ADAPTERS)
    expect(scan.repositories[0].frameworks).toEqual([
      {
        framework: 'crewai',
        name: 'CrewAI',
        languages: ['python'],
        transitive: false,
        evidence: [
          {kind: 'import', file: join(dir, 'b.py'), line: 2, package: 'crewai', language: 'python'},
          {kind: 'import', file: join(dir, 'c.py'), line: 1, package: 'crewai.tools', language: 'python'},
          {kind: 'import', file: join(dir, 'z', 'deep', 'a.py'), line: 1, package: 'crewai', language: 'python'},
        ],
      },
    ])
  })
})

describe('framework and key catalogues', () => {
  it('matches exact names before prefixes, and PyPI names in normal form', () => {
    expect(NPM_FRAMEWORKS.match('ai')?.id).toBe('vercel-ai')
    expect(NPM_FRAMEWORKS.match('@ai-sdk/anthropic')?.id).toBe('vercel-ai')
    expect(NPM_FRAMEWORKS.match('aiohttp')).toBeUndefined()
    expect(NPM_FRAMEWORKS.match('@langchain/langgraph-sdk')?.id).toBe('langgraph')
    expect(NPM_FRAMEWORKS.match('@langchain/core')?.id).toBe('langchain')
    expect(PYPI_FRAMEWORKS.match('llama-index-llms-openai')?.id).toBe('llamaindex')
    expect(PYPI_FRAMEWORKS.match('ag2')?.id).toBe('autogen')
  })

  it('tells placeholders from keys', () => {
    for (const value of ['', 'your-key-here', 'xxx', 'XXXXXXXX', '<api-key>', 'changeme', 'sk-...', '${OPENAI_API_KEY}', '$KEY', 'sk-xxxxxxxxxxxxxxxxxxxx']) {
      expect(isPlaceholder(value), value).toBe(true)
    }

    expect(isPlaceholder(MISTRAL_KEY)).toBe(false)
    expect(providerOfValue(ANTHROPIC_KEY)).toBe('Anthropic')
    expect(providerOfValue('sk-test')).toBeUndefined()
    expect(providerOfValue('AIzaSyB1c2d3e4f5g6h7i8j9k0lMnOpQrStUvW')).toBe('Google')
  })
})
