import {existsSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {parseGovernedLaunch} from '../../../src/clients/governed.js'
import {agentgovEntry, proxyArgv} from '../../../src/wrap/launch.js'

describe('the launch wrap writes', () => {
  it('is absolute node plus this package bin/run.js, in the order docs/proxy-cli.md gives', () => {
    const argv = proxyArgv({agent: 'cursor', server: 'fs', policy: '/p.yaml'}, ['--', 'npx', '-y', 'x'])
    expect(argv).toEqual([process.execPath, agentgovEntry(), 'proxy', '--agent', 'cursor', '--server', 'fs', '--policy', '/p.yaml', '--', 'npx', '-y', 'x'])
    expect(existsSync(argv[1])).toBe(true)
  })

  it('reads back as governed from any checkout path, and an unrelated run.js with a proxy verb does not', () => {
    const [command, ...args] = proxyArgv({agent: 'a', server: 's', node: '/n', entry: '/home/me/src/main/bin/run.js'}, ['--', 'npx', 'y'])
    expect(parseGovernedLaunch(command, args)).toMatchObject({agent: 'a', server: 's', inner: ['npx', 'y'], launcher: ['/n', '/home/me/src/main/bin/run.js']})
    const remote = proxyArgv({agent: 'a', server: 'r', node: '/n', entry: '/old/bin/run.js'}, ['--upstream-url', 'https://x', '--transport', 'http'])
    expect(parseGovernedLaunch(remote[0], remote.slice(1))).toMatchObject({server: 'r', upstreamUrl: 'https://x'})
    expect(parseGovernedLaunch('node', ['/other/bin/run.js', 'proxy', '--port', '8080'])).toBeUndefined()
  })
})
