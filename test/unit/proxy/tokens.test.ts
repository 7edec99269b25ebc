import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {addToken, revokeTokens, TokenWatch} from '../../../src/proxy/tokens.js'
import {tempDir} from '../../helpers/tree.js'

describe('the watched token file', () => {
  const dir = tempDir()
  const watches: TokenWatch[] = []
  afterEach(() => {
    for (const watch of watches.splice(0)) watch.close()
  })

  const watched = (name: string) => {
    const file = join(dir.path, `${name}.json`)
    const alice = addToken(file, 'alice')
    const bob = addToken(file, 'bob')
    const log: string[] = []
    const watch = new TokenWatch(file, (message) => log.push(message))
    watches.push(watch)
    return {file, alice, bob, log, watch}
  }

  it('names the agent of a presented token, and no one for a wrong or missing token', () => {
    const {alice, watch} = watched('names')
    expect(watch.identify(alice)?.agent).toBe('alice')
    expect(watch.identify(`${alice}x`)).toBeUndefined()
    expect(watch.identify(undefined)).toBeUndefined()
  })

  it('refuses a revoked token at the very next lookup, before any watch event can arrive', () => {
    // identify() runs synchronously right after the write: only the per-lookup check of the file's
    // identity can see the change, which is the backstop where fs.watch says nothing.
    const {file, alice, bob, watch} = watched('revoke')
    const held = watch.identify(alice)?.sha256 as string
    let changes = 0
    watch.onchange = () => changes++
    revokeTokens(file, 'alice')
    expect(watch.identify(alice)).toBeUndefined()
    expect(watch.holds(held)).toBe(false)
    expect(watch.identify(bob)?.agent).toBe('bob')
    expect(changes).toBe(1)
  })

  it('sees a token added after start', () => {
    const {file, watch} = watched('add')
    const carol = addToken(file, 'carol')
    expect(watch.identify(carol)?.agent).toBe('carol')
  })

  it('holds no tokens when the file becomes unreadable, and says so (fail closed)', () => {
    const {file, alice, log, watch} = watched('broken')
    writeFileSync(file, '{"tokens": [')
    expect(watch.identify(alice)).toBeUndefined()
    expect(log.join('\n')).toMatch(/TOKENS UNREADABLE/)
  })

  it('tells a watching face at once when fs.watch reports the change', async () => {
    const {file, watch} = watched('event')
    const changed = new Promise<void>((resolve) => {
      watch.onchange = resolve
    })
    revokeTokens(file, 'bob')
    await changed
  })
})
