import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {stringify} from 'yaml'

import {AgentgovError} from '../../../src/errors.js'
import {compilePolicy, PolicyError} from '../../../src/policy/compile.js'

const OPTIONS = {home: '/home/fuzz', platform: 'linux' as const}

/** compilePolicy either returns or throws a PolicyError; anything else is a crash of the loader. */
function load(text: string): 'ok' | 'refused' {
  try {
    compilePolicy(text, 'fuzz.yaml', OPTIONS)
    return 'ok'
  } catch (error) {
    if (error instanceof PolicyError || error instanceof AgentgovError) return 'refused'
    throw error
  }
}

const key = fc.constantFrom('version', 'settings', 'policies', 'name', 'agent', 'rules', 'id', 'tools', 'action', 'reason', 'when', 'arg', 'under', 'not_under', 'matches', 'glob', 'in', 'equals', 'all', 'any', 'not', 'rate_limit', 'max_per_minute', 'loop_detection', 'approval_timeout', 'stages', 'annotation', 'condition', 'field', 'operator', 'value', '__proto__', 'constructor')
const scalar = fc.oneof(
  fc.constantFrom('allow', 'deny', 'human_approval', 'audit', '*', 'fs.*', '~/x', '/a/../b', '%2e%2e', '(a+)+$', '[', '2m', '-1', '1e309', 'ｆｓ.read', 'a\u200bb', 'null', 'true'),
  fc.string({maxLength: 12}),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
)
const tree = fc.letrec((tie) => ({
  value: fc.oneof({depthSize: 'small'}, scalar, fc.array(tie('value'), {maxLength: 4}), fc.dictionary(key, tie('value'), {maxKeys: 5})),
})).value

const shaped = fc.record({
  version: fc.option(fc.constantFrom(1, 2, '1'), {nil: undefined}),
  settings: fc.option(fc.dictionary(key, tree, {maxKeys: 3}), {nil: undefined}),
  policies: fc.array(fc.record({name: scalar, agent: scalar, rules: fc.array(fc.dictionary(key, tree, {maxKeys: 6}), {maxLength: 4})}, {requiredKeys: []}), {maxLength: 3}),
})

describe('the policy loader under random documents', () => {
  it('random policy-shaped YAML: compiles or is refused with a PolicyError, never crashes', () => {
    fc.assert(
      fc.property(shaped, (doc) => {
        expect(['ok', 'refused']).toContain(load(stringify(doc)))
      }),
      {numRuns: 400},
    )
  })

  it('random trees and raw text, including YAML aliases, tags and broken syntax', () => {
    const raw = fc.oneof(
      tree.map((value) => stringify(value)),
      fc.string({maxLength: 200}),
      fc.constantFrom('a: &x [*x]\n', 'policies: !!binary aGk=\n', 'policies: [this is not: valid', '? [a]\n: b\n', '%YAML 9.9\n---\n', 'policies:\n  - *undefined\n', '\uFEFFversion: 1\n', 'x: 1\nx: 2\n'),
    )
    fc.assert(
      fc.property(raw, (text) => {
        expect(['ok', 'refused']).toContain(load(text))
      }),
      {numRuns: 400},
    )
  })
})
