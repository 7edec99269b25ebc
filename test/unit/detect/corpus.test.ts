import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {detectTool} from '../../../src/detect/index.js'

interface Entry {
  id: string
  label: string
  attack: boolean
  tool: Record<string, unknown>
}

const load = (name: string): Entry[] => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'detect', name), 'utf8')) as Entry[]

describe.each(['tools.json', 'heldout.json'])('the labelled corpus %s, served as one server', (file) => {
  const entries = load(file)
  const ownTools = entries.map((e) => String(e.tool.name))
  const flagged = new Map(entries.map((e) => [e.id, detectTool(e.tool, {ownTools})]))

  it('catches at least 95 % of the attacks, and at least 85 % of each technique', () => {
    const attacks = entries.filter((e) => e.attack)
    const missed = attacks.filter((e) => flagged.get(e.id)!.length === 0).map((e) => e.id)
    expect(missed.length / attacks.length, `missed: ${missed.join(', ')}`).toBeLessThanOrEqual(0.05)
    for (const label of new Set(attacks.map((e) => e.label))) {
      const of = attacks.filter((e) => e.label === label)
      const caught = of.filter((e) => flagged.get(e.id)!.length > 0)
      expect(caught.length / of.length, label).toBeGreaterThanOrEqual(0.85)
    }
  })

  it('flags at most 3 % of the honest tools', () => {
    const honest = entries.filter((e) => !e.attack)
    const wrong = honest.filter((e) => flagged.get(e.id)!.length > 0).map((e) => `${e.id}: ${flagged.get(e.id)![0].message}`)
    expect(wrong.length / honest.length, wrong.join('\n')).toBeLessThanOrEqual(0.03)
  })

  it('has at least 12 entries per technique and per honest trap in the main corpus', () => {
    if (file !== 'tools.json') return
    const counts = new Map<string, number>()
    for (const e of entries) counts.set(e.label, (counts.get(e.label) ?? 0) + 1)
    expect(entries.length).toBeGreaterThanOrEqual(250)
    for (const [label, count] of counts) expect(count, label).toBeGreaterThanOrEqual(12)
  })
})
