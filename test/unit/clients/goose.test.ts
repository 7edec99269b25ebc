import {describe, expect, it} from 'vitest'

import {goose} from '../../../src/clients/goose.js'
import {parseConfig} from '../../../src/config/document.js'
import {hostFromEnv} from '../../../src/host.js'
import {readFixture} from '../../helpers/clients.js'

describe('goose adapter', () => {
  it('reads extensions by key and skips built-in, platform and non-object entries', () => {
    const {servers} = readFixture(goose, 'goose/config.yaml', 'yaml')
    expect(servers.map((s) => s.name)).toEqual(['github', 'remote', 'legacy-sse'])
    expect(servers.map((s) => s.path)).toEqual([
      ['extensions', 'github'],
      ['extensions', 'remote'],
      ['extensions', 'legacy-sse'],
    ])
    expect(servers.map((s) => s.line)).toEqual([11, 25, 32])
  })

  it('maps cmd, envs and env_keys of a stdio extension', () => {
    const [github] = readFixture(goose, 'goose/config.yaml', 'yaml').servers
    expect(github).toMatchObject({transport: 'stdio', command: 'npx', enabled: true})
    expect(github.args).toEqual(['-y', '@modelcontextprotocol/server-github'])
    expect(Object.keys(github.env ?? {})).toEqual(['GITHUB_PERSONAL_ACCESS_TOKEN'])
    expect(github.envPassthrough).toEqual(['GITHUB_HOST', 'GITHUB_ORG'])
  })

  it('maps uri and headers of remote extensions and honours enabled: false', () => {
    const [, remote, sse] = readFixture(goose, 'goose/config.yaml', 'yaml').servers
    expect(remote).toMatchObject({transport: 'http', url: 'https://mcp.example.com/mcp', enabled: false})
    expect(Object.keys(remote.headers ?? {})).toEqual(['X-Api-Key'])
    expect(remote.command).toBeUndefined()
    expect(sse).toMatchObject({transport: 'sse', url: 'http://localhost:8080/sse', enabled: true})
  })

  it('does not throw on odd documents', () => {
    for (const text of ['', 'extensions: []', 'extensions: 1', 'extensions:\n  a: [1]\n']) {
      expect(goose.read(parseConfig(text, 'yaml'), {path: '/x.yaml', scope: 'user', format: 'yaml'}).servers).toEqual([])
    }
  })

  it('uses XDG config on Linux and macOS and %APPDATA%\\Block on Windows', () => {
    const env = {HOME: '/home/ana', APPDATA: 'C:/Users/ana/AppData/Roaming'}
    expect(goose.machineConfigs(hostFromEnv(env, 'linux'))).toEqual([
      {path: '/home/ana/.config/goose/config.yaml', scope: 'user', format: 'yaml'},
    ])
    expect(goose.machineConfigs(hostFromEnv({...env, XDG_CONFIG_HOME: '/xdg'}, 'linux'))[0].path).toBe('/xdg/goose/config.yaml')
    expect(goose.machineConfigs(hostFromEnv(env, 'darwin'))[0].path).toBe('/home/ana/.config/goose/config.yaml')
    expect(goose.machineConfigs(hostFromEnv(env, 'win32'))).toEqual([
      {path: 'C:/Users/ana/AppData/Roaming/Block/goose/config/config.yaml', scope: 'user', format: 'yaml'},
    ])
  })
})
