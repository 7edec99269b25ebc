import {Writable} from 'node:stream'

import {afterEach, describe, expect, it} from 'vitest'

import {renderView, settleColour, stripStyles} from '../../../src/ui/render.js'

describe('colour settings', () => {
  it('NO_COLOR turns colour off (handed to chalk as FORCE_COLOR=0); FORCE_COLOR wins over it', () => {
    const off: NodeJS.ProcessEnv = {NO_COLOR: '1'}
    expect(settleColour(off)).toBe(false)
    expect(off.FORCE_COLOR).toBe('0')
    expect(settleColour({NO_COLOR: '1', FORCE_COLOR: '1'})).toBe(true)
    expect(settleColour({FORCE_COLOR: '0'})).toBe(false)
    expect(settleColour({FORCE_COLOR: 'false'})).toBe(false)
    // no-color.org: an empty NO_COLOR is as if it were unset.
    expect(settleColour({NO_COLOR: ''})).toBe(true)
    expect(settleColour({})).toBe(true)
  })

  it('strips colour and weight, and nothing else', () => {
    expect(stripStyles('\u001B[1m\u001B[31mred\u001B[39m\u001B[22m · plain')).toBe('red · plain')
  })
})

describe('renderView', () => {
  const saved = {NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR}
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  })

  it('writes the whole view once, as text at the stream\'s width, without escape codes under NO_COLOR', async () => {
    delete process.env.FORCE_COLOR
    process.env.NO_COLOR = '1'
    let written = ''
    const out = Object.assign(new Writable({write: (chunk, _encoding, done) => ((written += String(chunk)), done())}), {columns: 20, isTTY: true}) as unknown as NodeJS.WriteStream
    await renderView('message', {lines: [{text: 'first line of a long message', color: 'green'}, {text: 'second', dim: true}]}, out)
    expect(written).toBe('first line of a long\n message\nsecond\n')
  })
})
