import {describe, expect, it} from 'vitest'

import {FRAMEWORKS} from '../../../reports/compliance.js'
import {grade} from '../../../reports/grade.js'
import {ASI} from '../../../reports/owasp.js'
import {ROWS} from '../../../reports/rows.js'
import {EvidenceBuilder} from '../../../src/report/evidence.js'

describe('grade', () => {
  const base = {reach: 'full' as const, subject: 'x'}
  it('is never covered without evidence, and says when a control never fired', () => {
    expect(grade({...base, configured: true, fired: false}).status).toBe('partial')
    expect(grade({...base, configured: true, fired: false}).why).toMatch(/never fired/)
    expect(grade({...base, configured: false, fired: false}).status).toBe('gap')
    expect(grade({...base, configured: false, fired: true}).status).toBe('partial')
    expect(grade({...base, configured: true, fired: true}).status).toBe('covered')
    expect(grade({...base, configured: true, fired: true, weakened: 'chain broken'})).toEqual({status: 'partial', why: 'chain broken'})
  })

  it('caps a partial-reach risk at partial and reports out-of-reach as such', () => {
    expect(grade({configured: true, fired: true, reach: 'partial', subject: 'x'}).status).toBe('partial')
    expect(grade({configured: true, fired: true, reach: 'out-of-reach', subject: 'x'}).status).toBe('out-of-reach')
  })
})

describe('catalogue', () => {
  it('has ASI01–ASI10 in order, ASI01 and ASI06 at best partial, and only known MCP ids', () => {
    expect(ASI.map((r) => r.id)).toEqual(Array.from({length: 10}, (_, i) => `ASI${String(i + 1).padStart(2, '0')}`))
    expect(ASI.find((r) => r.id === 'ASI01')!.reach).toBe('partial')
    expect(ASI.find((r) => r.id === 'ASI06')!.reach).toBe('partial')
    for (const r of ASI) for (const id of r.mcp) expect(id).toMatch(/^MCP(0[1-9]|10)$/)
  })

  it('maps every clause to known evidence rows', () => {
    for (const f of FRAMEWORKS) for (const c of f.clauses) for (const row of c.rows) expect(ROWS[row], `${f.id} ${c.clause} ${row}`).toBeDefined()
  })
})

describe('EvidenceBuilder', () => {
  it('keeps counters bounded and examples few', () => {
    const b = new EvidenceBuilder({from: 0, to: 3_600_000})
    for (let i = 0; i < 2000; i++) b.add({kind: 'decision', time: i, agent: `a${i}`, server: 's', tool: 't', stage: 'pre_tool', action: 'deny', rule: null, reason: 'no rule', limit: i % 2 ? 'loop' : undefined}, `seg:${i}`)
    const r = b.finish()
    expect(Object.keys(r.agents).length).toBe(1001)
    expect(r.agents['(other)'].decisions).toBe(1000)
    expect(r.limits.loop).toEqual({count: 1000, examples: ['seg:1', 'seg:3', 'seg:5']})
    expect(r.denials.defaultDeny.count).toBe(1000)
    expect(r.rules).toEqual({'(default)': 1000, '(loop)': 1000})
    expect(r.timeline.buckets.reduce((n, x) => n + x.deny, 0)).toBe(2000)
  })
})
