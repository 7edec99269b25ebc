import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {AGENT_MESH_IGNORED, ARG_OPS, POLICY_KEYS, RULE_KEYS, SETTINGS_KEYS, SINGLE_POLICY_KEYS, TOP_KEYS} from '../../../src/policy/schema.js'
import {starterPolicy} from '../../../src/policy/init.js'
import {compile} from './helpers.js'

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'templates', 'policy.schema.json'), 'utf8'))
const keys = (o: {properties: object}) => Object.keys(o.properties).sort()

describe('the shipped JSON Schema', () => {
  it('names exactly the keys the parser accepts', () => {
    expect(keys(schema)).toEqual([...new Set([...TOP_KEYS, ...SINGLE_POLICY_KEYS, ...AGENT_MESH_IGNORED, 'approval'])].sort())
    expect(keys(schema.$defs.policy)).toEqual([...POLICY_KEYS].sort())
    expect(keys(schema.$defs.rule)).toEqual([...RULE_KEYS].sort())
    expect(keys(schema.properties.settings)).toEqual([...SETTINGS_KEYS].sort())
    const argLeaf = schema.$defs.condition.oneOf.find((o: {required: string[]}) => o.required.includes('arg'))
    expect(keys(argLeaf)).toEqual(['arg', ...ARG_OPS].sort())
  })
})

describe('policy init starter', () => {
  it('compiles, points editors at the schema, and denies what it does not know', () => {
    const starter = starterPolicy({servers: []})
    expect(starter.text).toMatch(/\$schema=\/.*templates\/policy\.schema\.json/)
    const policy = compile(starter.text)
    expect(policy.rules.map((r) => r.id)).toEqual(['deny-rest'])
  })
})
