import {describe, expect, it} from 'vitest'

import {amp} from '../../../src/clients/amp.js'
import {antigravity} from '../../../src/clients/antigravity.js'
import {copilotCli} from '../../../src/clients/copilot-cli.js'
import {copilotJetbrains} from '../../../src/clients/copilot-jetbrains.js'
import {junie} from '../../../src/clients/junie.js'
import {lmStudio} from '../../../src/clients/lm-studio.js'
import {trae} from '../../../src/clients/trae.js'
import type {ClientAdapter, ConfigLocation, ServerEntry} from '../../../src/clients/types.js'
import {visualStudio} from '../../../src/clients/visual-studio.js'
import {type Platform, hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

const ENV = {HOME: '/home/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}

interface Case {
  adapter: ClientAdapter
  id: string
  fixture: string
  /** What each server reads as; keys of env and headers only. */
  servers: Array<Pick<ServerEntry, 'enabled' | 'line' | 'name' | 'transport'> & {path: Array<number | string>; command?: string; args?: string[]; url?: string; envKeys?: string[]; headerKeys?: string[]}>
  machine: Record<Platform, Array<Omit<ConfigLocation, 'format' | 'scope'>>>
  project: string[]
}

const home = (path: string, uncertain = false) => (uncertain ? {path, uncertain} : {path})
const everywhere = (...paths: Array<{path: string; uncertain?: boolean}>) => ({linux: paths, darwin: paths, win32: paths})

const CASES: Case[] = [
  {
    adapter: copilotCli,
    id: 'copilot-cli',
    fixture: 'copilot-cli/mcp-config.json',
    servers: [
      {name: 'playwright', path: ['mcpServers', 'playwright'], line: 3, transport: 'stdio', enabled: true, command: 'npx', args: ['@playwright/mcp@latest'], envKeys: ['PLAYWRIGHT_HEADLESS']},
      {name: 'github', path: ['mcpServers', 'github'], line: 10, transport: 'http', enabled: true, url: 'https://api.githubcopilot.com/mcp/', headerKeys: ['Authorization']},
      {name: 'events', path: ['mcpServers', 'events'], line: 16, transport: 'sse', enabled: true, url: 'https://events.example.com/sse'},
    ],
    machine: everywhere(home('/home/ana/.copilot/mcp-config.json')),
    project: ['.github/mcp.json'],
  },
  {
    adapter: copilotJetbrains,
    id: 'copilot-jetbrains',
    fixture: 'copilot-jetbrains/mcp.json',
    servers: [
      {name: 'memory', path: ['servers', 'memory'], line: 4, transport: 'stdio', enabled: true, command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory']},
      {name: 'github', path: ['servers', 'github'], line: 9, transport: 'http', enabled: true, url: 'https://api.githubcopilot.com/mcp/', headerKeys: ['Authorization']},
    ],
    machine: {
      linux: [home('/home/ana/.config/github-copilot/intellij/mcp.json')],
      darwin: [home('/home/ana/.config/github-copilot/intellij/mcp.json')],
      win32: [home('/home/ana/AppData/Local/github-copilot/intellij/mcp.json')],
    },
    project: [],
  },
  {
    adapter: lmStudio,
    id: 'lm-studio',
    fixture: 'lm-studio/mcp.json',
    servers: [
      {name: 'hf-mcp-server', path: ['mcpServers', 'hf-mcp-server'], line: 3, transport: 'http', enabled: true, url: 'https://huggingface.co/mcp', headerKeys: ['Authorization']},
      {name: 'time', path: ['mcpServers', 'time'], line: 7, transport: 'stdio', enabled: true, command: 'uvx', args: ['mcp-server-time']},
    ],
    machine: everywhere(home('/home/ana/.lmstudio/mcp.json'), home('/home/ana/.cache/lm-studio/mcp.json', true)),
    project: [],
  },
  {
    adapter: junie,
    id: 'junie',
    fixture: 'junie/mcp.json',
    servers: [
      {name: 'postgres', path: ['mcpServers', 'postgres'], line: 3, transport: 'stdio', enabled: true, command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/app'], envKeys: ['PGPASSWORD']},
    ],
    machine: everywhere(home('/home/ana/.junie/mcp/mcp.json', true)),
    project: ['.junie/mcp/mcp.json'],
  },
  {
    adapter: antigravity,
    id: 'antigravity',
    fixture: 'antigravity/mcp_config.json',
    servers: [
      {name: 'linear', path: ['mcpServers', 'linear'], line: 3, transport: 'http', enabled: true, url: 'https://mcp.linear.app/mcp', headerKeys: ['Authorization']},
      {name: 'sequential-thinking', path: ['mcpServers', 'sequential-thinking'], line: 4, transport: 'stdio', enabled: false, command: 'npx', args: ['-y', '@modelcontextprotocol/server-sequential-thinking']},
    ],
    machine: everywhere(home('/home/ana/.gemini/antigravity/mcp_config.json', true), home('/home/ana/.gemini/config/mcp_config.json', true)),
    project: [],
  },
  {
    adapter: trae,
    id: 'trae',
    fixture: 'trae/mcp.json',
    servers: [
      {name: 'figma', path: ['mcpServers', 'figma'], line: 3, transport: 'stdio', enabled: true, command: 'npx', args: ['-y', 'figma-developer-mcp', '--stdio'], envKeys: ['FIGMA_API_KEY']},
    ],
    machine: {
      linux: [home('/home/ana/.config/Trae/User/mcp.json', true)],
      darwin: [home('/home/ana/Library/Application Support/Trae/User/mcp.json', true)],
      win32: [home('C:/Users/ana/AppData/Roaming/Trae/User/mcp.json', true)],
    },
    project: ['.trae/mcp.json'],
  },
  {
    adapter: visualStudio,
    id: 'visual-studio',
    fixture: 'visual-studio/mcp.json',
    // The file's `mcpServers` key is Claude Code's, not Visual Studio's.
    servers: [
      {name: 'azure', path: ['servers', 'azure'], line: 4, transport: 'stdio', enabled: true, command: 'npx', args: ['-y', '@azure/mcp@latest', 'server', 'start']},
      {name: 'docs', path: ['servers', 'docs'], line: 9, transport: 'http', enabled: true, url: 'https://learn.microsoft.com/api/mcp'},
    ],
    machine: {linux: [], darwin: [], win32: [home('/home/ana/.mcp.json')]},
    project: ['.mcp.json', '.vs/mcp.json'],
  },
  {
    adapter: amp,
    id: 'amp',
    fixture: 'amp/settings.json',
    // `amp.mcpServers` is one literal key; the plain `mcpServers` beside it is not Amp's.
    servers: [
      {name: 'playwright', path: ['amp.mcpServers', 'playwright'], line: 4, transport: 'stdio', enabled: true, command: 'npx', args: ['-y', '@playwright/mcp@latest', '--headless']},
      {name: 'sourcegraph', path: ['amp.mcpServers', 'sourcegraph'], line: 8, transport: 'http', enabled: true, url: 'https://sourcegraph.example.com/.api/mcp/v1', headerKeys: ['Authorization']},
    ],
    machine: everywhere(home('/home/ana/.config/amp/settings.json', true)),
    project: [],
  },
]

function summarise(entry: ServerEntry): Case['servers'][number] {
  const out: Case['servers'][number] = {name: entry.name, path: [...entry.path], line: entry.line, transport: entry.transport, enabled: entry.enabled}
  if (entry.command !== undefined) out.command = entry.command
  if (entry.args !== undefined) out.args = entry.args
  if (entry.url !== undefined) out.url = entry.url
  if (entry.env !== undefined) out.envKeys = Object.keys(entry.env)
  if (entry.headers !== undefined) out.headerKeys = Object.keys(entry.headers)
  return out
}

describe.each(CASES)('$id adapter', ({adapter, id, fixture, servers, machine, project}) => {
  it('has its id', () => {
    expect(adapter.id).toBe(id)
  })

  it('reads its servers and skips entries that are not objects', () => {
    const read = readFixture(adapter, fixture, 'json')
    expect(read.servers.map((entry) => summarise(entry))).toEqual(servers)
    expect(read.facts).toBeUndefined()
  })

  it.each(['linux', 'darwin', 'win32'] as const)('lists its files on %s', (platform) => {
    const locations = adapter.machineConfigs(hostFromEnv(ENV, platform))
    expect(locations.map(({path, uncertain}) => (uncertain ? {path, uncertain} : {path}))).toEqual(machine[platform])
    for (const location of locations) expect(location).toMatchObject({scope: 'user', format: 'json'})
  })

  it('claims only its own project files', () => {
    expect(adapter.projectConfigs).toEqual(project.map((path) => ({path, format: 'json'})))
  })
})

describe('environment overrides', () => {
  it('Copilot CLI scans COPILOT_HOME and, as a guess, XDG_CONFIG_HOME besides ~/.copilot', () => {
    const host = hostFromEnv({...ENV, COPILOT_HOME: '/data/copilot', XDG_CONFIG_HOME: '/xdg'}, 'linux')
    expect(copilotCli.machineConfigs(host)).toEqual([
      {path: '/home/ana/.copilot/mcp-config.json', scope: 'user', format: 'json'},
      {path: '/data/copilot/mcp-config.json', scope: 'user', format: 'json'},
      {path: '/xdg/.copilot/mcp-config.json', scope: 'user', format: 'json', uncertain: true},
    ])
  })

  it('Copilot for JetBrains uses %LOCALAPPDATA% on Windows and XDG_CONFIG_HOME elsewhere', () => {
    const win = hostFromEnv({...ENV, LOCALAPPDATA: 'C:/Users/ana/AppData/Local'}, 'win32')
    expect(copilotJetbrains.machineConfigs(win)[0].path).toBe('C:/Users/ana/AppData/Local/github-copilot/intellij/mcp.json')
    const linux = hostFromEnv({...ENV, XDG_CONFIG_HOME: '/xdg'}, 'linux')
    expect(copilotJetbrains.machineConfigs(linux)[0].path).toBe('/xdg/github-copilot/intellij/mcp.json')
  })
})
