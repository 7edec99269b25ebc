import {describe, expect, it} from 'vitest'

import {parseGovernedLaunch} from '../../src/clients/governed.js'

describe('parseGovernedLaunch', () => {
  it('recognises the node + bin/run.js form that wrap writes', () => {
    const launch = parseGovernedLaunch('/usr/bin/node', ['/opt/agentgov/bin/run.js', 'proxy', '--agent', 'cursor', '--server=fs', '--policy', '/p.yaml', '--', 'npx', '-y', 'pkg'])
    expect(launch).toEqual({agent: 'cursor', server: 'fs', policy: '/p.yaml', inner: ['npx', '-y', 'pkg'], launcher: ['/usr/bin/node', '/opt/agentgov/bin/run.js'], rest: ['--agent', 'cursor', '--server=fs', '--policy', '/p.yaml', '--', 'npx', '-y', 'pkg']})
  })

  it('recognises agentgov on PATH, Windows shims and npx agentgov', () => {
    expect(parseGovernedLaunch('agentgov', ['proxy', '--upstream-url', 'https://x/mcp'])?.upstreamUrl).toBe('https://x/mcp')
    expect(parseGovernedLaunch('C:\\tools\\agentgov.cmd', ['proxy', '--', 'a'])?.inner).toEqual(['a'])
    expect(parseGovernedLaunch('npx', ['-y', 'agentgov@0.1.0', 'proxy', '--', 'srv'])?.inner).toEqual(['srv'])
  })

  it('does not take other commands that mention agentgov or proxy', () => {
    expect(parseGovernedLaunch('npx', ['-y', 'some-proxy', 'proxy'])).toBeUndefined()
    expect(parseGovernedLaunch('node', ['/opt/agentgov/bin/run.js', 'discover'])).toBeUndefined()
    expect(parseGovernedLaunch('node', ['/opt/not-agentgov/bin/run.js', 'proxy'])).toBeUndefined()
    expect(parseGovernedLaunch('my-agentgov', ['proxy'])).toBeUndefined()
    expect(parseGovernedLaunch(undefined, ['proxy'])).toBeUndefined()
  })
})
