#!/usr/bin/env node
// Discovery benchmarks. Each case runs in its own child process so its memory figure is its own.
//
//   repos    scanRepositories over 50 repositories x 2,000 files, each with a 5,000-file
//            node_modules (plus .venv, vendor and dist decoys) that must be skipped without
//            descending. Every kind of signal is planted (manifest, lockfile and transitive lockfile
//            entries, imports, one 11 folders deep, MCP configs, instruction and .env files) in git
//            repositories, worktrees, non-git projects and a monorepo with workspace packages, beside
//            decoys (generated code, READMEs naming LangChain). Every planted signal must come back in
//            its own repository and nothing else may: wall time is the median of 5 runs.
//   machine  scanMachine over a fake home holding a config for every machine location of every client.
//
// The repository tree is generated once under bench/.work/ and reused until GENERATOR_VERSION changes.
// Every case checks its answer against what was generated and exits non-zero when it is wrong, so a
// fast wrong answer cannot pass.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {monitorEventLoopDelay} from 'node:perf_hooks'

import {importDist, sampleRss} from './lib.js'

const BENCH = 'discover'
const GENERATOR_VERSION = 5
const REPOS = 50
const FILES_PER_REPO = 2000
const NODE_MODULES_FILES = 5000
const TARGETS = {repos: 600, machine: 50, rss_mb: 100}
const RUNS = {repos: 5, machine: 15}

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const work = join(here, '.work')
const treeDir = join(work, 'repos')
const homeDir = join(work, 'home')
// Beside the tree, not in it: the scanner would count it as a file of the tree.
const expectedFile = join(work, 'repos-expected.json')

// ---------------------------------------------------------------------------------------------
// Cases.

async function runCase(name) {
  if (name === 'repos') await benchRepos()
  else if (name === 'machine') await benchMachine()
  else throw new Error(`unknown case ${name}`)
}

async function benchRepos() {
  const {scanRepositories} = await importDist('discovery/repos.js')
  const {clients, stub} = await loadClients()
  const expected = JSON.parse(readFileSync(expectedFile, 'utf8'))
  const peak = sampleRss()

  const first = await timed(() => scanRepositories([treeDir], clients))
  const problems = checkRepos(first.value, expected, clients)
  const times = []
  // The scan yields between slices of synchronous I/O: the longest stall says how well it shares.
  const loop = monitorEventLoopDelay({resolution: 1})
  loop.enable()
  for (let i = 0; i < RUNS.repos; i++) {
    const run = await timed(() => scanRepositories([treeDir], clients))
    times.push(run.ms)
    if (i === 0) problems.push(...checkRepos(run.value, expected, clients).map((p) => `rerun: ${p}`))
  }

  loop.disable()
  const wall = median(times)
  emit({
    case: 'repos',
    ok: problems.length === 0,
    wall_ms: round(wall),
    first_wall_ms: round(first.ms),
    min_wall_ms: round(Math.min(...times)),
    max_wall_ms: round(Math.max(...times)),
    files_s: Math.round(first.value.filesVisited / (wall / 1000)),
    files: first.value.filesVisited,
    repositories: first.value.repositories.length,
    frameworks: first.value.repositories.reduce((n, r) => n + r.frameworks.length, 0),
    evidence_files: first.value.repositories.reduce((n, r) => n + r.frameworks.reduce((m, f) => m + f.evidence.length, 0), 0),
    signals_planted: plantedCount(expected),
    signals_found: foundCount(first.value, expected),
    config_files: first.value.configFiles.length,
    rss_mb: round(peak.stop() / (1024 * 1024)),
    event_loop_max_ms: round(loop.max / 1e6),
    target_ms: TARGETS.repos,
    target_rss_mb: TARGETS.rss_mb,
    ...(stub ? {clients: 'stub'} : {}),
  })
  report(problems)
}

async function benchMachine() {
  let scanMachine
  let hostFromEnv
  try {
    ;({scanMachine} = await importDist('discovery/machine.js'))
    ;({hostFromEnv} = await importDist('host.js'))
  } catch (error) {
    emit({case: 'machine', skipped: `dist/src/discovery/machine.js not loadable (${firstLine(error)}); run npm run build`})
    return
  }

  const {clients, stub} = await loadClients()
  if (typeof scanMachine !== 'function') {
    emit({case: 'machine', skipped: 'dist/src/discovery/machine.js exports no scanMachine'})
    return
  }

  rmSync(homeDir, {recursive: true, force: true})
  const host = hostFromEnv({HOME: homeDir}, 'linux')
  const written = writeFakeHome(host, clients)
  const peak = sampleRss()
  const first = await timed(() => scanMachine(host, clients))
  const problems = checkMachine(first.value, written)
  const times = []
  for (let i = 0; i < RUNS.machine; i++) times.push((await timed(() => scanMachine(host, clients))).ms)
  const sorted = [...times].sort((a, b) => a - b)
  emit({
    case: 'machine',
    ok: problems.length === 0,
    wall_ms: round(median(times)),
    first_wall_ms: round(first.ms),
    p99_us: Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] * 1000),
    max_us: Math.round(sorted.at(-1) * 1000),
    files: written.length,
    reads: first.value.length,
    rss_mb: round(peak.stop() / (1024 * 1024)),
    target_ms: TARGETS.machine,
    ...(stub ? {clients: 'stub'} : {}),
  })
  report(problems)
}

function checkRepos(result, expected, clients) {
  const problems = []
  // A file counts as a project config when some adapter names that exact path suffix.
  const claimed = clients.flatMap((client) => client.projectConfigs.map((config) => config.path))
  const isClaimed = (rel) => claimed.some((p) => rel === p || rel.endsWith(`/${p}`))
  if (result.repositories.length !== expected.repos.length) {
    problems.push(`expected ${expected.repos.length} repositories, got ${result.repositories.length}`)
  }

  if (result.filesVisited !== expected.filesVisited) problems.push(`expected ${expected.filesVisited} files visited, got ${result.filesVisited}`)
  const byPath = new Map(result.repositories.map((repo) => [repo.path, repo]))
  for (const want of expected.repos) {
    const path = join(treeDir, want.name)
    const got = byPath.get(path)
    if (!got) {
      problems.push(`repository ${want.name} missing`)
      continue
    }

    if (got.kind !== want.kind) problems.push(`${want.name}: kind ${got.kind}, expected ${want.kind}`)
    // Every planted signal, in its own repository, and nothing else: a miss or a decoy both show here.
    sameSet(problems, `${want.name} signals`, signalsOf(got, path), want.signals)
    sameSet(problems, `${want.name} packages`, got.packages.map((p) => `${rel(path, p.path)}:${p.frameworks.map((f) => f.framework).join('+')}`), want.packages ?? [])
    sameSet(problems, `${want.name} mcpConfigs`, got.mcpConfigs.map((p) => rel(path, p)), want.configs.filter(isClaimed))
    sameSet(problems, `${want.name} instruction files`, got.instructionFiles.map((f) => rel(path, f.path)), want.instructions)
    sameSet(problems, `${want.name} env files`, got.envFiles.map((f) => `${rel(path, f.path)}:${f.keys.length}`), want.envFiles)
    for (const f of got.frameworks) {
      for (const e of f.evidence) if (!e.line || !existsSync(e.file)) problems.push(`${want.name}: ${f.framework} evidence ${e.file} has no file or line`)
    }
  }

  const all = JSON.stringify(result)
  for (const decoy of ['node_modules', '.venv', `${sep}dist${sep}`, `${sep}pyenv${sep}`, `${sep}vendor${sep}`, `${sep}.git${sep}`, 'README', 'generated']) {
    if (all.includes(decoy)) problems.push(`a result path goes through ${decoy.replaceAll(sep, '')}`)
  }

  if (expected.secret && all.includes(expected.secret)) problems.push('a raw key value appears in the result')
  return problems
}

/** `framework:kind:file` for every piece of evidence, `:transitive` when the scanner says so. */
function signalsOf(repo, path) {
  return repo.frameworks.flatMap((f) => f.evidence.map((e) => `${f.framework}:${e.kind}:${rel(path, e.file)}${e.transitive ? ':transitive' : ''}`))
}

/** What the issue counts as planted signals: framework evidence, MCP configs, instruction and .env files. */
function plantedCount(expected) {
  return expected.repos.reduce((n, r) => n + r.signals.length + r.configs.length + r.instructions.length + r.envFiles.length, 0)
}

function foundCount(result, expected) {
  let found = 0
  for (const want of expected.repos) {
    const path = join(treeDir, want.name)
    const got = result.repositories.find((r) => r.path === path)
    if (!got) continue
    const signals = new Set(signalsOf(got, path))
    found += want.signals.filter((x) => signals.has(x)).length
    found += want.configs.filter((c) => got.mcpConfigs.includes(join(path, c))).length
    found += want.instructions.filter((c) => got.instructionFiles.some((f) => f.path === join(path, c))).length
    found += want.envFiles.filter((c) => got.envFiles.some((f) => `${rel(path, f.path)}:${f.keys.length}` === c)).length
  }

  return found
}

function checkMachine(reads, written) {
  const problems = []
  const readPaths = new Set(reads.map((read) => read.location.path))
  const missed = written.filter((path) => !readPaths.has(path))
  if (missed.length > 0) problems.push(`${missed.length} written config(s) not read, e.g. ${missed[0]}`)
  const bad = reads.filter((read) => read.record.status !== 'ok')
  if (bad.length > 0) problems.push(`${bad.length} config(s) not ok, e.g. ${bad[0].location.path}: ${bad[0].record.error}`)
  return problems
}

function sameSet(problems, what, got, want) {
  const a = [...new Set(got)].sort()
  const b = [...new Set(want)].sort()
  if (a.length !== got.length) problems.push(`${what}: duplicates in ${JSON.stringify(got)}`)
  if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`)
}

function rel(from, to) {
  return relative(from, to).split(sep).join('/')
}

// ---------------------------------------------------------------------------------------------
// Helpers.


/** The real catalogue; a small stand-in when it cannot load yet, said so in the figures line. */
async function loadClients() {
  try {
    const {CLIENTS} = await importDist('clients/index.js')
    return {clients: CLIENTS, stub: false}
  } catch (error) {
    console.error(`discover.bench: using stub clients (${firstLine(error)})`)
    const none = () => ({servers: []})
    const stub = (id, projectConfigs) => ({id, name: id, machineConfigs: () => [], projectConfigs, read: none})
    return {
      clients: [
        stub('claude-code', [{path: '.mcp.json', format: 'json'}]),
        stub('cursor', [{path: '.cursor/mcp.json', format: 'json'}]),
        stub('vscode', [{path: '.vscode/mcp.json', format: 'jsonc'}]),
      ],
      stub: true,
    }
  }
}

async function timed(fn) {
  const start = process.hrtime.bigint()
  const value = await fn()
  return {value, ms: Number(process.hrtime.bigint() - start) / 1e6}
}


function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function round(n) {
  return Math.round(n * 10) / 10
}

function emit(figures) {
  process.stdout.write(`${JSON.stringify({bench: BENCH, ...figures})}\n`)
}

function report(problems) {
  for (const problem of problems.slice(0, 20)) console.error(`discover.bench: WRONG: ${problem}`)
  if (problems.length > 20) console.error(`discover.bench: … and ${problems.length - 20} more`)
  if (problems.length > 0) process.exitCode = 1
}

function firstLine(error) {
  return String(error?.message ?? error).split('\n')[0]
}

// ---------------------------------------------------------------------------------------------
// The fake home for the machine case: one file per machine location of every client (Linux).

function writeFakeHome(host, clients) {
  const written = new Set()
  for (const client of clients) {
    for (const location of client.machineConfigs(host)) {
      const path = concretePath(location.path)
      // System and managed locations outside the fake home are the real machine's: leave them be.
      if (!path.startsWith(homeDir + sep) || written.has(path)) continue
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(path, configDocument(location.format))
      written.add(path)
    }
  }

  return [...written]
}

/** A glob location made concrete: one file where the glob would find one. */
function concretePath(path) {
  return path
    .replaceAll('**', 'bench')
    .replaceAll(/\{([^,}]*)[^}]*\}/g, '$1')
    .replaceAll('*', 'bench')
    .replaceAll('?', 'x')
}

const ARGS = ['-y', '@modelcontextprotocol/server-filesystem', '/tmp']

/** One document every adapter of a format can read its own key from, each in that client's shape. */
function configDocument(format) {
  if (format === 'toml') return `[mcp_servers.bench]\ncommand = "npx"\nargs = ${JSON.stringify(ARGS)}\n`
  if (format === 'yaml') {
    const list = ARGS.map((a) => `"${a}"`).join(', ')
    return [
      'name: bench',
      'version: 1.0.0',
      'mcpServers:',
      '  - name: bench',
      '    command: npx',
      `    args: [${list}]`,
      'extensions:',
      '  bench:',
      '    type: stdio',
      '    name: bench',
      '    cmd: npx',
      `    args: [${list}]`,
      '    enabled: true',
      '',
    ].join('\n')
  }

  const stdio = {command: 'npx', args: ARGS, env: {}}
  return `${JSON.stringify(
    {
      mcpServers: {bench: stdio},
      servers: {bench: {type: 'stdio', ...stdio}},
      context_servers: {bench: stdio},
      mcp: {bench: {type: 'local', command: ['npx', ...ARGS], enabled: true}},
      'amp.mcpServers': {bench: stdio},
    },
    null,
    2,
  )}\n`
}

// ---------------------------------------------------------------------------------------------
// The repository tree.

function treeIsCurrent() {
  try {
    return JSON.parse(readFileSync(expectedFile, 'utf8')).version === GENERATOR_VERSION
  } catch {
    return false
  }
}

function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Repository kinds, by index mod 5. Each lists its fixed files (path -> content) and the ground truth
 * the scanner must report: `signals` are `framework:kind:file[:transitive]` for the fixed files; the
 * generator adds one `framework:import:file` per source file it plants an import in. Source files
 * are filled in afterwards up to FILES_PER_REPO.
 */
const README = "# Service\n\nBuilt with LangChain and CrewAI:\n\n```python\nfrom langchain.agents import AgentExecutor\nimport crewai\n```\n"
const GENERATED_TS = "// Code generated by protoc-gen-ts. DO NOT EDIT.\nimport {AgentExecutor} from 'langchain/agents'\nexport interface CrewAgent { role: string }\nexport type LangGraphState = Record<string, unknown>\n"
const GENERATED_PY = '# Generated by the protocol buffer compiler.  DO NOT EDIT!\nfrom crewai import Agent\nclass AgentExecutor: pass\n'
const DECOY_FILES = {'README.md': README, 'src/generated/agent_pb.ts': GENERATED_TS, 'src/generated/agent_pb2.py': GENERATED_PY}

const KINDS = [
  {
    kind: 'ts-agent',
    repoKind: 'git',
    exts: ['ts', 'ts', 'ts', 'tsx', 'js', 'md', 'json', 'css'],
    frameworkImports: [
      ['vercel-ai', `import {generateText, streamText} from 'ai'`],
      ['mcp-sdk', `import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'`],
    ],
    signals: [
      'vercel-ai:dependency:package.json',
      'mcp-sdk:dependency:package.json',
      'vercel-ai:lockfile:package-lock.json',
      'mcp-sdk:lockfile:package-lock.json',
      // Pulled in by a helper the project depends on: in the lockfile only.
      'langchain:lockfile:package-lock.json:transitive',
      // One LangChain agent 11 folders deep.
      'langchain:import:src/a/b/c/d/e/f/g/h/i/j/k/agent.ts',
    ],
    configs: ['.vscode/mcp.json', '.cursor/mcp.json'],
    instructions: ['AGENTS.md'],
    files: () => ({
      'package.json': packageJson('ts-agent', {ai: '^4.0.0', '@ai-sdk/openai': '^1.0.0', '@modelcontextprotocol/sdk': '^1.12.0', zod: '^3.23.0', airtable: '^0.12.0'}, {typescript: '^5.6.0'}),
      'package-lock.json': `${JSON.stringify(
        {
          name: 'ts-agent',
          lockfileVersion: 3,
          packages: {
            '': {name: 'ts-agent'},
            'node_modules/ai': {version: '4.0.0'},
            'node_modules/@ai-sdk/openai': {version: '1.0.0'},
            'node_modules/@modelcontextprotocol/sdk': {version: '1.12.0'},
            'node_modules/doc-tools': {version: '1.0.0', dependencies: {'@langchain/core': '^0.3.0'}},
            'node_modules/@langchain/core': {version: '0.3.66'},
            'node_modules/airtable': {version: '0.12.0'},
          },
        },
        null,
        2,
      )}\n`,
      'tsconfig.json': '{"compilerOptions": {"strict": true}}\n',
      '.vscode/mcp.json': JSON.stringify({servers: {github: {type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-github']}}}, null, 2),
      '.cursor/mcp.json': JSON.stringify({mcpServers: {fs: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '.']}}}, null, 2),
      'AGENTS.md': '# Agents\n\nRun `npm test` before committing.\n',
      // A commented-out import is not a dependency.
      'src/legacy.ts': `// import {Agent} from '@mastra/core/agent'\nexport const legacy = true\n`,
      'src/a/b/c/d/e/f/g/h/i/j/k/agent.ts': `import {createAgent} from 'langchain'\n\nexport const agent = createAgent({})\n`,
      ...DECOY_FILES,
    }),
  },
  {
    kind: 'py-agent',
    repoKind: 'git',
    exts: ['py', 'py', 'py', 'py', 'md', 'txt', 'yaml'],
    frameworkImports: [
      ['langgraph', 'from langgraph.graph import StateGraph, END'],
      ['crewai', 'from crewai import Agent, Crew, Task'],
      ['openai-agents', 'from agents import Agent, Runner, function_tool'],
      ['langchain', 'from langchain_openai import ChatOpenAI'],
    ],
    signals: [
      'langgraph:dependency:pyproject.toml',
      'langchain:dependency:pyproject.toml',
      'crewai:dependency:requirements.txt',
      'langgraph:lockfile:uv.lock',
      'langchain:lockfile:uv.lock',
      'llamaindex:lockfile:uv.lock:transitive',
    ],
    configs: ['.mcp.json'],
    instructions: ['CLAUDE.md'],
    envFiles: ['.env:1'],
    files: (secret) => ({
      'pyproject.toml': [
        '[project]',
        'name = "py-agent"',
        'version = "0.1.0"',
        'dependencies = [',
        '  "langgraph>=0.2",',
        '  "langchain-openai>=0.2",',
        '  "requests",',
        ']',
        '',
        '[project.optional-dependencies]',
        'dev = ["pytest>=8"]',
        '',
      ].join('\n'),
      'uv.lock': ['version = 1', '', ...['langgraph', 'langchain-openai', 'llama-index-core', 'requests', 'py-agent'].flatMap((name) => ['[[package]]', `name = "${name}"`, 'version = "1.0.0"', ''])].join('\n'),
      'requirements.txt': '# pinned\ncrewai==0.80.0\nnumpy>=1.26\n-r requirements-dev.txt\n',
      'requirements-dev.txt': 'pytest\nruff\n',
      '.mcp.json': JSON.stringify({mcpServers: {db: {command: 'uvx', args: ['mcp-server-sqlite', '--db-path', 'x.db']}}}, null, 2),
      'CLAUDE.md': '# Notes for Claude\n\nUse uv.\n',
      '.env': `DEBUG=1\nOPENAI_API_KEY=${secret}\n`,
      '.env.example': 'OPENAI_API_KEY=your-key-here\nANTHROPIC_API_KEY=\n',
      // Neither a bare `import agents` nor a commented import is evidence.
      'app/weak.py': 'import agents\n# from pydantic_ai import Agent\nfrom agents import models\n',
      ...DECOY_FILES,
    }),
  },
  {
    // A git worktree: `.git` is a file pointing into another repository's worktrees.
    kind: 'go-server',
    repoKind: 'worktree',
    exts: ['go', 'go', 'go', 'go', 'md', 'yaml'],
    frameworkImports: [['mcp-sdk', 'import (\n\t"context"\n\n\t"github.com/mark3labs/mcp-go/server"\n)']],
    signals: ['mcp-sdk:dependency:go.mod', 'mcp-sdk:lockfile:go.sum', 'langchain:lockfile:go.sum:transitive'],
    configs: [],
    instructions: ['AGENTS.md'],
    files: () => ({
      'go.mod': 'module example.com/server\n\ngo 1.23\n\nrequire (\n\tgithub.com/mark3labs/mcp-go v0.32.0\n\tgithub.com/spf13/cobra v1.8.1\n)\n',
      'go.sum': ['github.com/mark3labs/mcp-go v0.32.0 h1:a=', 'github.com/spf13/cobra v1.8.1 h1:b=', 'github.com/tmc/langchaingo v0.1.13 h1:c='].join('\n') + '\n',
      'AGENTS.md': '# Agents\n\nRun `go test ./...`.\n',
      'README.md': README,
    }),
  },
  {
    kind: 'monorepo',
    repoKind: 'git',
    exts: ['ts', 'ts', 'ts', 'js', 'md', 'json'],
    frameworkImports: [
      ['mastra', `import {Agent} from '@mastra/core/agent'`],
      ['openai-agents', `import {Agent as OpenAIAgent, run} from '@openai/agents'`],
    ],
    signals: ['mastra:dependency:packages/api/package.json', 'openai-agents:dependency:packages/api/package.json'],
    packages: ['packages/api:mastra+openai-agents', 'packages/web:'],
    configs: ['packages/api/.vscode/mcp.json'],
    instructions: ['AGENTS.md', 'packages/api/AGENTS.md'],
    prefix: 'packages/api/',
    files: () => ({
      'package.json': JSON.stringify({name: 'mono', private: true, workspaces: ['packages/*'], devDependencies: {typescript: '^5.6.0'}}, null, 2),
      'packages/api/package.json': packageJson('api', {'@mastra/core': '^0.10.0', '@openai/agents': '^0.1.0'}, {}),
      'packages/web/package.json': packageJson('web', {react: '^19.0.0'}, {}),
      'packages/api/.vscode/mcp.json': JSON.stringify({servers: {linear: {type: 'http', url: 'https://mcp.linear.app/mcp'}}}, null, 2),
      'AGENTS.md': '# Monorepo\n',
      'packages/api/AGENTS.md': '# API package\n',
      'README.md': README,
    }),
  },
  {
    // No git at all: the project is the directory with the manifest.
    kind: 'plain',
    repoKind: 'project',
    exts: ['ts', 'js', 'py', 'go', 'md', 'json', 'txt'],
    frameworkImports: [],
    signals: [],
    configs: [],
    instructions: [],
    files: () => ({
      // `airtable` and `aiohttp` start with "ai" and are not the Vercel AI SDK.
      'package.json': packageJson('plain', {express: '^4.19.0', airtable: '^0.12.0', 'ai-sdk-helper': '^1.0.0'}, {}),
      'requirements.txt': 'aiohttp\nflask\n',
      ...DECOY_FILES,
    }),
  },
]

function packageJson(name, dependencies, devDependencies) {
  return `${JSON.stringify({name, version: '1.0.0', type: 'module', dependencies, devDependencies}, null, 2)}\n`
}

const PLAIN_IMPORTS = {
  ts: ["import {readFile} from 'node:fs/promises'", "import {z} from 'zod'", "import {helper} from '../util/helper.js'"],
  tsx: ["import React from 'react'", "import {Button} from './button.js'"],
  js: ["const path = require('node:path')", "import express from 'express'"],
  py: ['import os', 'import json', 'from typing import Any', 'from .util import helper', 'import numpy as np'],
  go: ['import (\n\t"context"\n\t"fmt"\n\t"os"\n)'],
}

function sourceBody(ext, rand, lines) {
  const out = []
  for (let i = 0; i < lines; i++) {
    const n = Math.floor(rand() * 1e6)
    if (ext === 'py') out.push(i % 8 === 0 ? `\ndef handler_${n}(event: dict) -> Any:` : `    value_${i} = compute(${n}, "item-${i}")  # step ${i}`)
    else if (ext === 'go') out.push(i % 8 === 0 ? `\nfunc handler${n}(ctx context.Context) error {` : `\tfmt.Println("step", ${n}, ${i})`)
    else out.push(i % 8 === 0 ? `\nexport function handler${n}(input: unknown) {` : `  const value${i} = compute(${n}, 'item-${i}') // step ${i}`)
  }

  return out.join('\n')
}

function sourceFile(ext, rand, frameworkImport) {
  // One file in 40 is large, so heads and not whole files are what the scanner must read.
  const lines = rand() < 0.025 ? 1200 : 20 + Math.floor(rand() * 50)
  if (ext === 'md') return `# Notes ${Math.floor(rand() * 1e6)}\n\n${'Some prose about the module.\n'.repeat(10)}`
  if (ext === 'json') return `${JSON.stringify({id: Math.floor(rand() * 1e6), items: [1, 2, 3]})}\n`
  if (ext === 'css') return '.a { color: red; }\n'
  if (ext === 'txt' || ext === 'yaml') return `key: value-${Math.floor(rand() * 1e6)}\n`
  const imports = [...(PLAIN_IMPORTS[ext] ?? [])]
  if (frameworkImport) imports.splice(1, 0, frameworkImport)
  const header = ext === 'py' ? '"""Module docstring."""\n\n' : ext === 'go' ? 'package main\n\n' : '// Module header.\n\n'
  return `${header}${imports.join('\n')}\n${sourceBody(ext, rand, lines)}\n`
}

function frameworkExt(kind) {
  return kind.kind === 'py-agent' ? 'py' : kind.kind === 'go-server' ? 'go' : 'ts'
}

function generateTree() {
  const started = Date.now()
  rmSync(treeDir, {recursive: true, force: true})
  const rand = mulberry32(20_251_121)
  const expected = {version: GENERATOR_VERSION, repos: [], filesVisited: 0, secret: ''}
  const write = (path, content) => {
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, content)
  }

  for (let r = 0; r < REPOS; r++) {
    const kind = KINDS[r % KINDS.length]
    const name = `repo-${String(r).padStart(2, '0')}-${kind.kind}`
    const dir = join(treeDir, name)
    const secret = `sk-proj-${Array.from({length: 48}, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(rand() * 62)]).join('')}`
    if (kind.kind === 'py-agent') expected.secret = secret

    if (kind.repoKind === 'git') {
      // .git is a directory of its own files, never walked.
      write(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n')
      write(join(dir, '.git', 'config'), '[core]\n\tbare = false\n')
      write(join(dir, '.git', 'objects', 'ab', 'cdef0123'), 'x')
      write(join(dir, '.git', '.mcp.json'), '{"mcpServers": {}}')
    } else if (kind.repoKind === 'worktree') {
      write(join(dir, '.git'), `gitdir: ${join(treeDir, 'repo-00-ts-agent', '.git', 'worktrees', name)}\n`)
    }

    const files = kind.files(secret)
    let count = 0
    for (const [path, content] of Object.entries(files)) {
      write(join(dir, path), content)
      count++
    }

    // Framework imports go into the first source files; the rest import only ordinary packages.
    const prefix = kind.prefix ?? ''
    const fwExt = frameworkExt(kind)
    const signals = [...kind.signals]
    for (const [i, [framework, statement]] of kind.frameworkImports.entries()) {
      const file = `${prefix}src/agents/agent-${i}.${fwExt}`
      write(join(dir, file), sourceFile(fwExt, rand, statement))
      signals.push(`${framework}:import:${file}`)
      count++
    }

    // Fill: directories of 25 files, two levels deep, with a few framework imports sprinkled in.
    let file = 0
    while (count < FILES_PER_REPO) {
      const ext = kind.exts[Math.floor(rand() * kind.exts.length)]
      const leaf = Math.floor(file / 25)
      const area = ['core', 'api', 'lib', 'util', 'feature'][leaf % 5]
      const sub = `${prefix}src/${area}/m${Math.floor(leaf / 5) % 4}/d${leaf}`
      const extra = ext === fwExt && kind.frameworkImports.length > 0 && rand() < 0.1 ? kind.frameworkImports[Math.floor(rand() * kind.frameworkImports.length)] : undefined
      const path = `${sub}/file-${file}.${ext}`
      write(join(dir, path), sourceFile(ext, rand, extra?.[1]))
      if (extra) signals.push(`${extra[0]}:import:${path}`)
      file++
      count++
    }

    expected.filesVisited += count
    writeDecoys(dir, kind, write)
    expected.repos.push({
      name,
      kind: kind.repoKind,
      signals,
      packages: kind.packages,
      configs: kind.configs,
      instructions: kind.instructions,
      envFiles: kind.envFiles ?? [],
    })
  }

  writeFileSync(expectedFile, `${JSON.stringify(expected, null, 2)}\n`)
  console.error(`discover.bench: generated ${REPOS} repositories in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** Everything here must be skipped: dependency and build trees hold configs that are not servers. */
function writeDecoys(dir, kind, write) {
  const nm = join(dir, 'node_modules')
  const packages = NODE_MODULES_FILES / 20
  for (let p = 0; p < packages; p++) {
    const pkg = join(nm, p % 10 === 0 ? `@scope/pkg-${p}` : `pkg-${p}`)
    write(join(pkg, 'package.json'), packageJson(`pkg-${p}`, {langchain: '^0.3.0', '@modelcontextprotocol/sdk': '^1.0.0'}, {}))
    write(join(pkg, '.cursor', 'mcp.json'), '{"mcpServers": {"template": {"command": "REPLACE_ME"}}}')
    write(join(pkg, 'AGENTS.md'), '# Template\n')
    write(join(pkg, '.env'), 'OPENAI_API_KEY=sk-proj-decoydecoydecoydecoydecoydecoydecoy\n')
    write(join(pkg, 'requirements.txt'), 'crewai\n')
    for (let f = 0; f < 15; f++) write(join(pkg, 'lib', `f${f}.js`), `import {ChatOpenAI} from '@langchain/openai'\nexport const f${f} = 1\n`)
  }

  const venv = join(dir, '.venv')
  write(join(venv, 'pyvenv.cfg'), 'home = /usr/bin\n')
  write(join(venv, 'lib', 'python3.12', 'site-packages', 'crewai', '__init__.py'), 'from crewai.agent import Agent\n')
  write(join(venv, 'lib', 'python3.12', 'site-packages', 'tmpl', '.mcp.json'), '{"mcpServers": {}}')
  // A virtualenv under another name is recognised by its pyvenv.cfg.
  write(join(dir, 'tools', 'pyenv', 'pyvenv.cfg'), 'home = /usr/bin\n')
  write(join(dir, 'tools', 'pyenv', 'lib', 'crewai.py'), 'from crewai import Crew\n')
  write(join(dir, 'dist', '.cursor', 'mcp.json'), '{"mcpServers": {}}')
  write(join(dir, 'dist', 'index.js'), `import {ChatOpenAI} from '@langchain/openai'\n`)
  if (kind.kind === 'go-server') write(join(dir, 'vendor', 'github.com', 'x', 'y', 'go.mod'), 'module github.com/x/y\nrequire github.com/tmc/langchaingo v0.1.0\n')
  // A vendored copy of someone else's project, with its own manifest and agent code.
  write(join(dir, 'vendor', 'agentkit', 'package.json'), packageJson('agentkit', {langchain: '^0.3.0'}, {}))
  write(join(dir, 'vendor', 'agentkit', 'index.js'), `import {AgentExecutor} from 'langchain/agents'\n`)
}

async function main() {
  const args = process.argv.slice(2)
  if (args[0] === '--generate') {
    generateTree()
  } else if (args[0] === '--case') {
    await runCase(args[1])
  } else {
    // Parent: one child per case, so RSS is per case and the generator's memory counts for neither.
    const cases = args.length > 0 ? args : ['repos', 'machine']
    let failed = false
    for (const name of cases) {
      if (!(name in TARGETS)) {
        console.error(`discover.bench: unknown case ${name} (repos, machine)`)
        failed = true
        continue
      }

      if (name === 'repos' && !treeIsCurrent()) {
        console.error(`discover.bench: generating ${REPOS} repositories under ${relative(root, treeDir)} (once)…`)
        const gen = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate'], {stdio: 'inherit'})
        if (gen.status !== 0) process.exit(1)
      }

      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--case', name], {stdio: 'inherit'})
      if (child.status !== 0) failed = true
    }

    process.exit(failed ? 1 : 0)
  }
}

// Last, so every table above is initialised before it runs.
await main()
