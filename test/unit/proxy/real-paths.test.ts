import {mkdirSync, realpathSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {UNDECIDABLE} from '../../../src/policy/index.js'
import {pathOptionsFor} from '../../../src/policy/paths.js'
import {MAX_PATHS, realPathVariant, realReading} from '../../../src/proxy/real-paths.js'
import {tempDir} from '../../helpers/tree.js'

describe('following links in path arguments', () => {
  const dir = tempDir()
  // Compare with the real location of the temp folder (macOS: /var is /private/var).
  const base = realpathSync(dir.path)
  const root = join(base, 'root')
  mkdirSync(join(root, 'public'), {recursive: true})
  mkdirSync(join(root, 'secret'), {recursive: true})
  writeFileSync(join(root, 'secret', 'key.txt'), 'k')
  writeFileSync(join(root, 'public', 'ok.txt'), 'ok')
  symlinkSync(join(root, 'secret', 'key.txt'), join(root, 'public', 'sideways'))
  symlinkSync(join(root, 'secret'), join(root, 'public', 'dir-link'))
  symlinkSync(root, join(root, 'public', 'up'))
  symlinkSync(join(base, 'loop-b'), join(base, 'loop-a'))
  symlinkSync(join(base, 'loop-a'), join(base, 'loop-b'))
  const options = pathOptionsFor(join(root, 'public'), 'linux')
  afterAll(() => dir.cleanup())

  it('shows a link into another folder as that folder', () => {
    expect(realReading(join(root, 'public', 'sideways'), options)).toBe(join(root, 'secret', 'key.txt'))
    expect(realReading(join(root, 'public', 'dir-link', 'new-file.txt'), options)).toBe(join(root, 'secret', 'new-file.txt'))
  })

  it('resolves every ancestor, not just the last component (public/up → ROOT)', () => {
    expect(realReading(join(root, 'public', 'up', 'secret', 'key.txt'), options)).toBe(join(root, 'secret', 'key.txt'))
    expect(realReading(join(root, 'public', 'up', 'public', 'up', 'secret', 'new', 'deeper.txt'), options)).toBe(join(root, 'secret', 'new', 'deeper.txt'))
    // Far more missing components below the link than any fixed cut-off.
    const deep = Array.from({length: 300}, (_, i) => `d${i}`).join('/')
    expect(realReading(`${root}/public/up/secret/${deep}`, options)).toBe(`${root}/secret/${deep}`)
  })

  it('follows a link reached through ~/ and through a path padded past 4,096 characters with /./', () => {
    // options.home is ROOT/public here.
    expect(realReading('~/up/secret/key.txt', options)).toBe(join(root, 'secret', 'key.txt'))
    const padded = `${root}/public${'/.'.repeat(3000)}/up/secret/key.txt`
    expect(padded.length).toBeGreaterThan(4096)
    expect(realReading(padded, options)).toBe(join(root, 'secret', 'key.txt'))
  })

  it('cannot tell, so says undecidable: a loop of links, a normalised path past PATH_MAX, .. after a link', () => {
    expect(realReading(join(base, 'loop-a', 'x'), options)).toBeUndefined()
    expect(realReading(`${root}/public/${'n'.repeat(4096)}`, options)).toBeUndefined()
    // path.resolve reads public/up/.. as public; the kernel reads it as ROOT's parent.
    expect(realReading(`${root}/public/up/../secret/key.txt`, options)).toBeUndefined()
    // .. where both readings agree is fine.
    expect(realReading(`${root}/public/x/../ok.txt`, options)).toBe(join(root, 'public', 'ok.txt'))
  })

  it('gives a variant only when some argument changes, nested ones included', () => {
    expect(realPathVariant({path: join(root, 'public', 'ok.txt'), mode: 'r', note: 'not/a/path'}, options)).toBeUndefined()
    expect(realPathVariant({paths: [join(root, 'public', 'sideways')], other: 3}, options)).toEqual({paths: [join(root, 'secret', 'key.txt')], other: 3})
  })

  it('marks every path past the first MAX_PATHS as undecidable (no cut-off that allows)', () => {
    const decoys = Array.from({length: MAX_PATHS}, (_, i) => join(root, 'public', `decoy-${i}.txt`))
    const variant = realPathVariant({decoys, path: join(root, 'public', 'up', 'secret', 'key.txt')}, options)
    expect(variant?.path).toBe(UNDECIDABLE)
    expect((variant?.decoys as unknown[]).every((d) => typeof d === 'string')).toBe(true)
  })

  it('marks a value nested past its depth limit as undecidable, without spending the stack', () => {
    let nested: unknown = join(root, 'public', 'ok.txt')
    for (let i = 0; i < 20_000; i++) nested = {a: nested}
    const variant = realPathVariant({nested}, options)
    let at: unknown = variant?.nested
    let depth = 1
    while (typeof at === 'object' && at !== null) {
      at = (at as {a: unknown}).a
      depth++
    }

    expect(at).toBe(UNDECIDABLE)
    expect(depth).toBeLessThan(100)
  })

  it('leaves what the policy cannot place for the policy to find undecided', () => {
    expect(realReading('relative/path', options)).toBe('relative/path')
    expect(dirname(realReading(join(root, 'public', 'ok.txt'), options)!)).toBe(join(root, 'public'))
  })
})
