import {chmodSync, existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {parseGovernedLaunch} from '../../../src/clients/governed.js'
import {agentgovEntry, checkLauncher, launchFormFor, proxyArgv} from '../../../src/wrap/launch.js'
import {tempDir, writeTree} from '../../helpers/tree.js'

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

describe('checkLauncher: does a written launcher start this agentgov?', () => {
  const dir = tempDir()
  afterAll(() => dir.cleanup())
  const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {version: string}).version

  it('absolute form: this install is fine; a missing node, a missing entry or another version is not', () => {
    expect(checkLauncher([process.execPath, agentgovEntry()])).toMatchObject({ok: true, form: 'absolute', version: VERSION})
    expect(checkLauncher(['/nowhere/node', agentgovEntry()])).toMatchObject({ok: false, problem: expect.stringContaining('/nowhere/node')})
    expect(checkLauncher([process.execPath, '/nowhere/bin/run.js'])).toMatchObject({ok: false, problem: expect.stringContaining('/nowhere/bin/run.js')})
    writeTree(dir.path, {'old/package.json': {name: 'agentgov', version: '0.0.1'}, 'old/bin/run.js': ''})
    expect(checkLauncher([process.execPath, join(dir.path, 'old', 'bin', 'run.js')])).toMatchObject({ok: false, version: '0.0.1', problem: `it runs agentgov 0.0.1, this is ${VERSION}`})
  })

  it('npx form: the pinned version must be this one and npx must be on PATH', () => {
    writeTree(dir.path, {'bin/npx': '#!/bin/sh\n'})
    chmodSync(join(dir.path, 'bin', 'npx'), 0o755)
    const path = join(dir.path, 'bin')
    expect(checkLauncher(['npx', '-y', `agentgov@${VERSION}`], path)).toMatchObject({ok: true, form: 'npx'})
    expect(checkLauncher(['npx', '-y', 'agentgov@0.0.1'], path)).toMatchObject({ok: false, problem: `it runs agentgov 0.0.1, this is ${VERSION}`})
    expect(checkLauncher(['npx', '-y', 'agentgov'], path)).toMatchObject({ok: false})
    expect(checkLauncher(['npx', '-y', `agentgov@${VERSION}`], join(dir.path, 'empty'))).toMatchObject({ok: false, problem: expect.stringContaining('not on PATH')})
  })

  it('the form follows the scope: npx for committed project files, absolute for the rest', () => {
    expect(launchFormFor(['project'])).toBe('npx')
    expect(launchFormFor(['user'])).toBe('absolute')
    expect(launchFormFor(['local'])).toBe('absolute')
    expect(proxyArgv({agent: 'a', server: 's', form: 'npx'}, ['--', 'x']).slice(0, 4)).toEqual(['npx', '-y', `agentgov@${VERSION}`, 'proxy'])
  })
})
