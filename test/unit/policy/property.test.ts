import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {stringify} from 'yaml'

import {compilePolicy} from '../../../src/policy/compile.js'
import {evaluate, isToolVisible} from '../../../src/policy/evaluate.js'
import {parsePolicy} from '../../../src/policy/schema.js'
import {emptySnapshot} from '../../../src/policy/state.js'
import type {PolicyCall} from '../../../src/policy/types.js'
import {referenceEvaluate} from './reference.js'

const PATHS = {home: '/home/u', caseInsensitive: false}
const OPTIONS = {home: '/home/u', platform: 'linux' as const}

const leaf = fc.oneof(
  fc.record({arg: fc.constant('n'), gt: fc.integer({min: -2, max: 5})}),
  fc.record({arg: fc.constant('n'), lte: fc.integer({min: -2, max: 5})}),
  fc.record({arg: fc.constant('n'), equals: fc.integer({min: 0, max: 3})}),
  fc.record({arg: fc.constant('s'), in: fc.constantFrom(['x', 'y'], ['x1'], [1, 'y'])}),
  fc.record({arg: fc.constant('s'), matches: fc.constantFrom('^x', 'y$', '\\d')}),
  fc.record({arg: fc.constant('s'), glob: fc.constantFrom('x*', '*/y', '**')}),
  fc.record({arg: fc.constant('s'), max_length: fc.integer({min: 0, max: 3})}),
  fc.record({arg: fc.constantFrom('s', 'n', 'missing'), present: fc.boolean()}),
  fc.record({arg: fc.constant('p'), under: fc.constantFrom('/a', ['/a/b', '~/x'], '/')}),
  fc.record({arg: fc.constant('p'), not_under: fc.constantFrom('/a', '/b')}),
  fc.record({annotation: fc.constantFrom('readOnlyHint', 'destructiveHint', 'openWorldHint'), equals: fc.boolean()}),
  fc.record({annotation: fc.constant('readOnlyHint'), present: fc.boolean()}),
)

const condition = fc.letrec<{c: unknown}>((tie) => ({
  c: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    leaf,
    fc.record({all: fc.array(tie('c'), {minLength: 1, maxLength: 3})}),
    fc.record({any: fc.array(tie('c'), {minLength: 1, maxLength: 3})}),
    fc.record({not: tie('c')}),
  ),
})).c

const toolPattern = fc.oneof(
  fc.tuple(fc.constantFrom('s', 't', '*', 's*', 'S'), fc.constantFrom('x', 'y', 'x*', '*', 'x?', 'xy', '*y')).map(([s, t]) => `${s}.${t}`),
  fc.constantFrom('*', 'x', 'x*'),
)

const rule = fc.record(
  {
    tools: fc.array(toolPattern, {minLength: 1, maxLength: 3}),
    action: fc.constantFrom('allow', 'deny', 'human_approval', 'audit'),
    when: condition,
    stages: fc.constantFrom(['pre_tool'], ['resource'], ['pre_tool', 'resource']),
  },
  {requiredKeys: ['tools', 'action']},
)

const policyDoc = fc
  .array(fc.record({agent: fc.constantFrom('*', 'a*', 'ab', 'a?', 'b', 'ab*', 'A'), rules: fc.array(rule, {minLength: 1, maxLength: 6})}), {minLength: 1, maxLength: 4})
  .map((policies) => ({policies: policies.map((p, i) => ({name: `p${i}`, ...p}))}))

const argValue = {
  n: fc.oneof(fc.integer({min: -3, max: 6}), fc.constantFrom('2', 'x', true, null)),
  s: fc.constantFrom('x', 'x1', 'y', 'xy', 'a/y', 1, '', ['x', 'y'], ['x']),
  p: fc.constantFrom('/a/b', '/a/../b', 'rel', '/a', '~/x/y', '/a%2fb', '/b', ['/a/1', '/b/2'], ['/a/1']),
}

const policyCall = fc.record({
  agent: fc.constantFrom('a', 'ab', 'abc', 'b', 'A', 'AB'),
  server: fc.constantFrom('s', 'S', 't', 'st'),
  tool: fc.constantFrom('x', 'xy', 'xyz', 'y', 'X', 'zy'),
  stage: fc.constantFrom('pre_tool', 'resource'),
  args: fc.record(argValue, {requiredKeys: []}),
  annotations: fc.option(fc.record({readOnlyHint: fc.boolean(), destructiveHint: fc.boolean(), openWorldHint: fc.boolean()}, {requiredKeys: []}), {nil: undefined}),
}) as fc.Arbitrary<PolicyCall>

describe('compiled evaluation agrees with the naive reference', () => {
  it('on random policies and calls (cached and uncached index)', () => {
    fc.assert(
      fc.property(policyDoc, fc.array(policyCall, {minLength: 1, maxLength: 12}), (doc, calls) => {
        const text = stringify(doc)
        const cached = compilePolicy(text, 'random.yaml', OPTIONS)
        const uncached = compilePolicy(text, 'random.yaml', {...OPTIONS, cache: false})
        const parsed = parsePolicy(text, 'random.yaml', PATHS).document
        const state = emptySnapshot(1000)
        // Loop detection needs history; the empty state has none, so it never decides here.
        for (const c of [...calls, ...calls]) {
          const expected = referenceEvaluate(parsed, c, PATHS)
          for (const policy of [cached, uncached]) {
            const d = evaluate(policy, c, state)
            expect({action: d.action, policy: d.policy, rule: d.rule}).toEqual(expected)
          }
        }
      }),
      {numRuns: 400},
    )
  })

  it('a visible-false tool is denied for every call tried', () => {
    fc.assert(
      fc.property(policyDoc, fc.array(policyCall, {minLength: 1, maxLength: 10}), (doc, calls) => {
        const policy = compilePolicy(stringify(doc), 'random.yaml', OPTIONS)
        for (const c of calls) {
          const call = {...c, stage: 'pre_tool' as const}
          if (!isToolVisible(policy, {agent: call.agent, server: call.server, tool: call.tool, annotations: call.annotations})) {
            expect(evaluate(policy, call, emptySnapshot(1)).action).toBe('deny')
          }
        }
      }),
      {numRuns: 300},
    )
  })
})

describe('evaluation never throws', () => {
  const policy = compilePolicy(
    `policies:
  - name: p
    agent: "*"
    rate_limit: {max_per_minute: 5}
    rules:
      - {tools: [a.*], action: deny, when: {any: [{arg: x.y.z, gt: 1}, {arg: p, under: /etc}, {arg: s, matches: "^a"}, {arg: s, max_length: 2}, {arg: s, glob: "*"}]}}
      - {tools: ["*"], action: human_approval, when: {not: {arg: q, in: [1, "b", null]}}}
      - {tools: ["*"], action: allow}
`,
    'p.yaml',
    OPTIONS,
  )

  it('on arbitrary names, arguments and annotations (never via the internal-error fallback)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary'}), fc.string({unit: 'binary'}), fc.string({unit: 'binary'}), fc.anything(), fc.anything(), (agent, server, tool, args, annotations) => {
        const call = {agent, server, tool, stage: 'pre_tool', args, annotations} as unknown as PolicyCall
        const d = evaluate(policy, call, emptySnapshot(1, {grants: [{id: 'g', agent: '*', tools: ['*'], createdAt: 0, expiresAt: 10, createdBy: 't'}]}))
        expect(['allow', 'deny', 'human_approval', 'audit']).toContain(d.action)
        expect(d.reason).not.toMatch(/could not evaluate/)
        expect(typeof isToolVisible(policy, {agent, server, tool, annotations: annotations as never})).toBe('boolean')
      }),
      {numRuns: 2000},
    )
  })
})
