import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {acceptPins, definitionHash, loadPins, pinFilePath, PinStore, type ToolDefinition, toolKey} from '../../../src/proxy/pins.js'
import {tempDir} from '../../helpers/tree.js'

const dir = tempDir('agentgov-pins-')
afterAll(() => dir.cleanup())

const tool = (name: string, description = `The ${name} tool, which does the ${name} thing for the user on request.`): ToolDefinition => ({name, description, inputSchema: {type: 'object'}})

describe('pins under canonical names', () => {
  it('keys are the names the policy decides on; names it refuses keep their spelling', () => {
    expect(toolKey('ECHO')).toBe('echo')
    expect(toolKey('ｅｃｈｏ')).toBe('echo')
    expect(toolKey('ec\u200Bho')).toBe('ec\u200Bho')
  })

  it('keeps the trusted definition, keyed canonically; every spelling is one pin', () => {
    const pins = new PinStore(dir.path, 'keyed')
    expect(Object.fromEntries(pins.check([tool('Echo')]))).toEqual({echo: 'new'})
    const file = JSON.parse(readFileSync(pinFilePath(dir.path, 'keyed'), 'utf8'))
    expect(file.tools.echo.definition).toEqual(tool('Echo'))
    expect(Object.fromEntries(pins.check([tool('Echo')]))).toEqual({echo: 'same'})
    expect(Object.fromEntries(pins.check([tool('ECHO')]))).toEqual({echo: 'changed'})
    expect(pins.isChanged('ｅｃｈｏ')).toBe(true)
  })

  it('the first differing definition waits for a person; a later one does not replace it, nor does the pinned copy clear it', () => {
    const pins = new PinStore(dir.path, 'sticky')
    pins.check([tool('t')])
    pins.check([tool('t', 'first change')])
    pins.check([tool('t', 'second change'), tool('t')])
    const file = loadPins(pinFilePath(dir.path, 'sticky'), 'sticky')
    expect(file.tools.t.changed?.definition.description).toBe('first change')
    expect(Object.fromEntries(pins.check([tool('t')]))).toEqual({t: 'changed'})
    expect(acceptPins(dir.path, 'sticky', ['T'])).toEqual(['t'])
    expect(Object.fromEntries(pins.check([tool('t', 'first change')]))).toEqual({t: 'same'})
  })

  it('a pin file keyed by raw names is merged: two spellings with differing hashes are a change', () => {
    const path = pinFilePath(dir.path, 'legacy')
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, JSON.stringify({server: 'legacy', tools: {ren: {hash: definitionHash(tool('ren')), pinnedAt: 'x'}, Ren: {hash: 'f'.repeat(64), pinnedAt: 'y'}}}))
    const pins = new PinStore(dir.path, 'legacy')
    expect(Object.fromEntries(pins.check([tool('ren')]))).toEqual({ren: 'changed'})
  })

  it('a new tool alike a pinned tool that is absent from the listing is a rename, naming that tool', () => {
    const pins = new PinStore(dir.path, 'rename')
    pins.check([tool('alpha'), tool('beta', 'Beta does something else entirely, unlike the rest of the tools here.')])
    const checks = pins.inspect([{...tool('alpha'), name: 'alpha2'}], new Set(['beta']))
    expect(checks.get('alpha2')).toMatchObject({verdict: 'changed', change: {renamedFrom: 'alpha', likeness: {how: 'renamed'}}})
    // alpha (and alpha2) listed on an earlier page of the same listing: not gone, so not a rename.
    expect(pins.inspect([{...tool('alpha'), name: 'alpha3'}], new Set(['alpha', 'alpha2'])).get('alpha3')?.verdict).toBe('new')
  })
})
