import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {followLinks, realPathVariant} from '../../../src/proxy/real-paths.js'
import {tempDir} from '../../helpers/tree.js'

describe('following links in path arguments', () => {
  const dir = tempDir()
  // The temp dir itself may sit behind a system link (macOS /var → /private/var): names stay as given.
  const root = join(dir.path, 'root')
  mkdirSync(join(root, 'public'), {recursive: true})
  mkdirSync(join(root, 'secret'), {recursive: true})
  writeFileSync(join(root, 'secret', 'key.txt'), 'k')
  writeFileSync(join(root, 'public', 'ok.txt'), 'ok')
  symlinkSync(join(root, 'secret', 'key.txt'), join(root, 'public', 'sideways'))
  symlinkSync(join(root, 'secret'), join(root, 'public', 'dir-link'))
  symlinkSync(join(dir.path, 'root'), join(dir.path, 'alias'))
  afterAll(() => dir.cleanup())

  it('shows a link that leads into another folder as that folder, in the same names', () => {
    expect(followLinks(join(root, 'public', 'sideways'))).toBe(join(root, 'secret', 'key.txt'))
    expect(followLinks(join(root, 'public', 'dir-link', 'new-file.txt'))).toBe(join(root, 'secret', 'new-file.txt'))
  })

  it('leaves plain paths, missing paths and a whole linked root as they are', () => {
    expect(followLinks(join(root, 'public', 'ok.txt'))).toBe(join(root, 'public', 'ok.txt'))
    expect(followLinks(join(root, 'public', 'not-yet.txt'))).toBe(join(root, 'public', 'not-yet.txt'))
    // Links above the folders the path names are kept as written (as for /tmp → /private/tmp).
    expect(followLinks(join(dir.path, 'alias', 'public', 'ok.txt'))).toBe(join(dir.path, 'alias', 'public', 'ok.txt'))
    // A link into another folder is still followed; right below a linked folder, the real name is used.
    expect(followLinks(join(dir.path, 'alias', 'public', 'sideways'))).toBe(join(root, 'secret', 'key.txt'))
  })

  it('gives a variant only when some argument changes, nested ones included', () => {
    expect(realPathVariant({path: join(root, 'public', 'ok.txt'), mode: 'r'})).toBeUndefined()
    expect(realPathVariant({paths: [join(root, 'public', 'sideways')], other: 3})).toEqual({paths: [join(root, 'secret', 'key.txt')], other: 3})
  })
})
