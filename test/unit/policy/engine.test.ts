import {describe, expect, it} from 'vitest'


import {approvesInClient} from '../../../src/policy/approve-in-client.js'
import {PolicyError} from '../../../src/policy/compile.js'
import {evaluate, isToolVisible} from '../../../src/policy/evaluate.js'
import {PolicyHolder} from '../../../src/policy/holder.js'
import {lintText} from '../../../src/policy/lint.js'
import {argsKey} from '../../../src/policy/keys.js'
import {emptySnapshot, PolicyStateStore} from '../../../src/policy/state.js'
import type {Grant} from '../../../src/policy/types.js'
import {call, compile, decide, rules} from './helpers.js'

/** A deny rule guarded by one condition, then allow-all: deny means the condition held. */
function guarded(when: string) {
  return rules(`      - id: guard\n        tools: [s.t]\n        action: deny\n        when: ${when}\n      - id: rest\n        tools: ["*"]\n        action: allow\n`)
}

const held = (when: string, args: Record<string, unknown>) => decide(guarded(when), call('s.t', args)).rule === 'guard'

describe('condition operators', () => {
  it('equals compares scalars of the same JSON type; another type is undecided (a deny applies)', () => {
    expect(held('{arg: branch, equals: main}', {branch: 'main'})).toBe(true)
    expect(held('{arg: branch, equals: main}', {branch: 'Main'})).toBe(false)
    for (const [when, value] of [
      ['{arg: n, equals: 5}', '5'],
      ['{arg: force, equals: true}', 'true'],
      ['{arg: force, equals: true}', 1],
      ['{arg: force, equals: false}', 0],
      ['{arg: force, equals: false}', null],
      ['{arg: force, equals: true}', {value: true}],
      ['{arg: force, equals: true}', [true, 'true']],
      ['{arg: n, equals: 9007199254740993}', 9_007_199_254_740_992],
    ] as const) {
      expect(held(when, {force: value, n: value}), `${when} ${JSON.stringify(value)}`).toBe(true)
      expect(decide(guarded(when), call('s.t', {force: value, n: value})).condition, when).toMatch(/^undecided/)
    }
  })

  it('an allow on equals: true is not satisfied by "true", 1 or [true, "true"] (type mismatch is undecided)', () => {
    const p = rules('      - {id: forced, tools: [git.push], action: allow, when: {arg: force, equals: true}}\n')
    expect(decide(p, call('git.push', {force: true})).action).toBe('allow')
    for (const force of ['true', 1, 'TRUE', [true, 'true'], {toString: 'true'}]) expect(decide(p, call('git.push', {force})).action, JSON.stringify(force)).toBe('deny')
  })

  it('in: a value of a type the list does not hold is undecided, not "not a member"', () => {
    expect(held('{arg: env, in: [prod, staging]}', {env: 5})).toBe(true)
    expect(held('{arg: code, in: [1, 2]}', {code: '2'})).toBe(true)
    expect(held('{arg: code, in: [1, 2]}', {code: 3})).toBe(false)
    const allow = rules('      - {id: small, tools: [s.t], action: allow, when: {arg: code, in: [1, "one"]}}\n')
    expect(decide(allow, call('s.t', {code: 1})).action).toBe('allow')
    expect(decide(allow, call('s.t', {code: '1'})).action).toBe('deny')
    expect(decide(allow, call('s.t', {code: 'one'})).action).toBe('allow')
  })

  it('in tests set membership', () => {
    expect(held('{arg: env, in: [prod, staging]}', {env: 'prod'})).toBe(true)
    expect(held('{arg: env, in: [prod, staging]}', {env: 'dev'})).toBe(false)
    expect(held('{arg: code, in: [1, 2]}', {code: 2})).toBe(true)
  })

  it('numeric ranges: gt, gte, lt, lte; a non-number is undecided (deny applies)', () => {
    expect(held('{arg: amount, gt: 100}', {amount: 101})).toBe(true)
    expect(held('{arg: amount, gt: 100}', {amount: 100})).toBe(false)
    expect(held('{arg: amount, gte: 100}', {amount: 100})).toBe(true)
    expect(held('{arg: amount, lt: 0}', {amount: -1})).toBe(true)
    expect(held('{arg: amount, lte: 0}', {amount: 1})).toBe(false)
    expect(held('{arg: amount, gt: 100, lt: 200}', {amount: 150})).toBe(true)
    expect(held('{arg: amount, gt: 100}', {amount: 'lots'})).toBe(true)
    // Numbers written as strings are another type: a server may read "1e3" or " 50" its own way.
    for (const amount of ['50', '1e3', ' 50', '0x10', true, [50, '50'], {n: 50}, 1e300]) expect(held('{arg: amount, gt: 100}', {amount}), JSON.stringify(amount)).toBe(true)
    const allow = rules('      - {id: small, tools: [pay.send], action: allow, when: {arg: amount, lt: 100}}\n')
    expect(decide(allow, call('pay.send', {amount: 50})).action).toBe('allow')
    for (const amount of ['50', '5e1', null, [50, 500], 1e300]) expect(decide(allow, call('pay.send', {amount})).action, JSON.stringify(amount)).toBe('deny')
    expect(decide(guarded('{arg: amount, gt: 100}'), call('s.t', {amount: 'lots'})).condition).toMatch(/^undecided/)
  })

  it('matches uses the regular expression, glob the path-style glob', () => {
    expect(held('{arg: cmd, matches: "^rm\\\\s+-rf"}', {cmd: 'rm  -rf /'})).toBe(true)
    expect(held('{arg: cmd, matches: "^rm\\\\s+-rf"}', {cmd: 'ls'})).toBe(false)
    expect(held('{arg: file, glob: "*.env"}', {file: 'prod.env'})).toBe(true)
    expect(held('{arg: file, glob: "*.env"}', {file: 'dir/prod.env'})).toBe(false)
    expect(held('{arg: file, glob: "**/*.env"}', {file: 'dir/prod.env'})).toBe(true)
  })

  it('string length counts code points; list length counts elements', () => {
    // Three emoji are six UTF-16 units but three code points.
    expect(held('{arg: q, max_length: 3}', {q: '😀😀😀'})).toBe(true)
    expect(held('{arg: q, min_length: 4}', {q: '😀😀😀'})).toBe(false)
    expect(held('{arg: q, max_length: 3}', {q: '😀😀😀😀'})).toBe(false)
    expect(held('{arg: files, max_length: 1}', {files: ['a', 'b']})).toBe(false)
    expect(held('{arg: files, min_length: 2}', {files: ['a', 'b']})).toBe(true)
  })

  it('present checks own properties only (no prototype lookups)', () => {
    expect(held('{arg: token, present: true}', {token: 'x'})).toBe(true)
    expect(held('{arg: token, present: false}', {})).toBe(true)
    expect(held('{arg: constructor, present: true}', {})).toBe(false)
    expect(held('{arg: __proto__, present: true}', {})).toBe(false)
    expect(held('{arg: [a, b.c], equals: 1}', {a: {'b.c': 1}})).toBe(true)
    expect(held('{arg: a.b, equals: 1}', {a: {b: 1}})).toBe(true)
  })

  it('all, any and not combine, with undecided kept undecided', () => {
    expect(held('{all: [{arg: a, equals: 1}, {arg: b, equals: 2}]}', {a: 1, b: 2})).toBe(true)
    expect(held('{all: [{arg: a, equals: 1}, {arg: b, equals: 2}]}', {a: 1, b: 3})).toBe(false)
    expect(held('{any: [{arg: a, equals: 1}, {arg: b, equals: 2}]}', {a: 0, b: 2})).toBe(true)
    expect(held('{not: {arg: a, equals: 1}}', {a: 2})).toBe(true)
    expect(held('{not: {arg: a, gt: 1}}', {a: 'x'})).toBe(true)
    expect(held('[{arg: a, equals: 1}, {arg: b, equals: 2}]', {a: 1, b: 2})).toBe(true)
  })

  it('annotations use MCP defaults for undeclared hints', () => {
    const p = guarded('{annotation: destructiveHint, equals: true}')
    expect(decide(p, call('s.t', {}, {annotations: {}})).rule).toBe('guard')
    expect(decide(p, call('s.t', {}, {annotations: {readOnlyHint: true}})).rule).toBe('rest')
    expect(decide(p, call('s.t', {}, {annotations: {destructiveHint: false}})).rule).toBe('rest')
    const open = guarded('{annotation: openWorldHint, equals: false}')
    expect(decide(open, call('s.t', {}, {annotations: {openWorldHint: false}})).rule).toBe('guard')
    expect(decide(open, call('s.t')).rule).toBe('rest')
    const declared = guarded('{annotation: readOnlyHint, present: false}')
    expect(decide(declared, call('s.t')).rule).toBe('guard')
  })

  it('a list argument holds when every element does; disagreement is undecided', () => {
    const allow = rules(`      - id: inside\n        tools: [fs.read]\n        action: allow\n        when: {arg: paths, under: /work}\n`)
    expect(decide(allow, call('fs.read', {paths: ['/work/a', '/work/b']})).action).toBe('allow')
    expect(decide(allow, call('fs.read', {paths: ['/work/a', '/etc/passwd']})).action).toBe('deny')
    const deny = guarded('{arg: paths, under: /etc}')
    expect(decide(deny, call('s.t', {paths: ['/work/a', '/etc/passwd']})).rule).toBe('guard')
    expect(decide(deny, call('s.t', {paths: ['/work/a']})).rule).toBe('rest')
  })
})

describe('path normalisation in under / not_under', () => {
  const p = guarded('{arg: path, under: ["~/.ssh", /etc]}')
  const cases: Array<[string, string, boolean]> = [
    ['tilde', '~/.ssh/id_rsa', true],
    ['dot-dot', '/home/u/project/../.ssh/id_rsa', true],
    ['dot-dot above root', '/../../etc/shadow', true],
    ['single dots', '/etc/./passwd', true],
    ['duplicate slashes', '//etc///passwd', true],
    // On Linux only `/` separates: `%2f`, `\\` and `／` are ordinary characters of a name.
    ['percent-encoding is a literal name', '/home/u/%2essh/id_rsa', false],
    ['double percent-encoding is a literal name', '/%252e%252e/etc/passwd', false],
    ['encoded slash and dot-dot are literal names', '/tmp%2f..%2fetc/passwd', false],
    ['inside the folder, whatever the name holds', '/etc/a%2f..%2f..%2fpwn', true],
    ['backslash dot-dot inside the folder stays inside', '/etc/a\\..\\..\\pwn', true],
    ['full-width solidus inside the folder stays inside', '/etc/a／..／..／pwn', true],
    ['a sibling with the same prefix', '/etc-backup/passwd', false],
    ['home prefix sibling', '/home/u/.sshx/key', false],
    ['a path elsewhere', '/home/u/project/a.ts', false],
  ]
  for (const [name, path, under] of cases) {
    it(`${name}: ${path}`, () => expect(decide(p, call('s.t', {path})).rule).toBe(under ? 'guard' : 'rest'))
  }

  it('a path that cannot be placed is undecided: deny applies, allow does not', () => {
    for (const path of ['relative/x', '~root/.ssh', '/a\u0000b', 'file://evil.com/etc/passwd', 'file:///etc/passwd', '\\etc\\passwd', '／etc／passwd', '/a\u200bb', '']) {
      expect(decide(p, call('s.t', {path})).rule).toBe('guard')
    }

    const allow = rules(`      - id: inside\n        tools: [fs.read]\n        action: allow\n        when: {arg: path, under: /work}\n`)
    expect(decide(allow, call('fs.read', {path: 'relative/x'})).action).toBe('deny')
    expect(decide(allow, call('fs.read', {path: '/work/x'})).action).toBe('allow')
  })

  it('a path glob matches the normalised path, not the spelling', () => {
    const p = rules('      - {id: globbed, tools: [fs.read], action: allow, when: {arg: path, glob: "/srv/globbed/**"}}\n      - {id: home, tools: [fs.list], action: allow, when: {arg: path, glob: "~/notes/*.md"}}\n')
    expect(decide(p, call('fs.read', {path: '/srv/globbed/a/b.txt'})).action).toBe('allow')
    expect(decide(p, call('fs.read', {path: '/srv//globbed/./a/b.txt'})).action).toBe('allow')
    for (const path of ['/srv/globbed/./a/../../private/key2.txt', '/srv/globbed/..', '/srv/globbed/../private', 'globbed/a.txt', '/srv/globbed/a\u0000']) {
      expect(decide(p, call('fs.read', {path})).action, path).toBe('deny')
    }

    expect(decide(p, call('fs.list', {path: '~/notes/a.md'})).action).toBe('allow')
    expect(decide(p, call('fs.list', {path: '/home/u/notes/a.md'})).action).toBe('allow')
    expect(decide(p, call('fs.list', {path: '~/notes/../.ssh/a.md'})).action).toBe('deny')
    // A glob that is not a path still matches the raw string.
    const names = rules('      - {id: branch, tools: [git.push], action: allow, when: {arg: branch, glob: "feature/*"}}\n')
    expect(decide(names, call('git.push', {branch: 'feature/x'})).action).toBe('allow')
  })

  it('not_under is the negation for a single path', () => {
    const q = guarded('{arg: path, not_under: /work}')
    expect(decide(q, call('s.t', {path: '/work/../etc'})).rule).toBe('guard')
    expect(decide(q, call('s.t', {path: '/work/src'})).rule).toBe('rest')
  })

  it('compares case-insensitively where the file system does (macOS)', () => {
    const text = `policies:\n  - name: p\n    agent: "*"\n    rules:\n      - {id: g, tools: [s.t], action: deny, when: {arg: path, under: ~/.ssh}}\n      - {id: rest, tools: ["*"], action: allow}\n`
    expect(decide(compile(text, 'darwin'), call('s.t', {path: '/home/u/.SSH/id'})).rule).toBe('g')
    expect(decide(compile(text, 'linux'), call('s.t', {path: '/home/u/.SSH/id'})).rule).toBe('rest')
  })
})

describe('tool names', () => {
  const p = rules(`      - id: no-delete\n        tools: [github.delete_*]\n        action: deny\n      - id: gh\n        tools: [github.*]\n        action: allow\n`)

  it('matches case-insensitively and after NFKC, so look-alikes hit the same rule', () => {
    expect(decide(p, call('github.delete_repo')).rule).toBe('no-delete')
    expect(decide(p, call('GitHub.Delete_Repo')).rule).toBe('no-delete')
    expect(decide(p, call('ｇｉｔｈｕｂ.ｄｅｌｅｔｅ_repo')).rule).toBe('no-delete')
  })

  it('refuses names with invisible characters', () => {
    for (const tool of ['delete\u200b_repo', 'delete_repo\u2060', 'de\u00adlete_repo', 'delete_repo\u{E0041}', 'list\u202erepo']) {
      const d = decide(p, call(`github.${tool}`))
      expect(d.action).toBe('deny')
      expect(d.reason).toMatch(/invisible/)
    }
  })

  it('wildcards never match non-ASCII look-alikes (Cyrillic е in delete)', () => {
    const d = decide(p, call('github.d\u0435lete_repo'))
    expect(d.action).toBe('deny')
    expect(d.rule).toBeNull()
  })

  it('keeps server and tool apart: fs.read is not fs_read nor fs/read, and a dotted server is not a prefix', () => {
    const q = rules(`      - id: fs-read\n        tools: [fs.read]\n        action: allow\n`)
    expect(decide(q, call('fs.read')).action).toBe('allow')
    expect(decide(q, {agent: 'a', server: 'other', tool: 'fs_read', stage: 'pre_tool'}).action).toBe('deny')
    expect(decide(q, {agent: 'a', server: 'other', tool: 'fs/read', stage: 'pre_tool'}).action).toBe('deny')
    expect(decide(q, {agent: 'a', server: 'fs.read', tool: 'x', stage: 'pre_tool'}).action).toBe('deny')
    expect(decide(q, {agent: 'a', server: 'fs', tool: 'read.x', stage: 'pre_tool'}).action).toBe('deny')
    const dotted = rules(`      - id: srv\n        server: mcp.linear.app\n        tools: [list_*]\n        action: allow\n`)
    expect(decide(dotted, {agent: 'a', server: 'mcp.linear.app', tool: 'list_issues', stage: 'pre_tool'}).action).toBe('allow')
    expect(decide(dotted, {agent: 'a', server: 'mcp', tool: 'linear.app.list_issues', stage: 'pre_tool'}).action).toBe('deny')
  })

  it('an unqualified pattern matches that tool on every server', () => {
    const q = rules(`      - id: any-echo\n        tools: [echo]\n        action: allow\n`)
    expect(decide(q, call('a.echo')).action).toBe('allow')
    expect(decide(q, call('b.echo')).action).toBe('allow')
    expect(decide(q, call('b.echo2')).action).toBe('deny')
  })
})

describe('precedence', () => {
  const p = compile(`policies:
  - name: everyone
    agent: "*"
    rules:
      - {id: all-deny, tools: ["*"], action: deny}
  - name: claude-family
    agent: "claude-*"
    rules:
      - {id: family-approval, tools: [github.*], action: human_approval}
  - name: claude-code
    agent: claude-code
    rules:
      - {id: first, tools: [github.get_*], action: allow}
      - {id: second, tools: [github.get_*], action: deny}
`)

  it('the most specific agent policy decides first, rules in order, first match wins', () => {
    expect(decide(p, call('github.get_repo', {}, {agent: 'claude-code'})).rule).toBe('first')
    expect(decide(p, call('github.create_issue', {}, {agent: 'claude-code'})).rule).toBe('family-approval')
    expect(decide(p, call('github.get_repo', {}, {agent: 'claude-desktop'})).rule).toBe('family-approval')
    expect(decide(p, call('github.get_repo', {}, {agent: 'cursor'})).rule).toBe('all-deny')
  })

  it('denies by default when nothing matches', () => {
    const q = rules(`      - {id: only, tools: [a.b], action: allow}\n`)
    const d = decide(q, call('a.c'))
    expect(d).toMatchObject({action: 'deny', policy: null, rule: null})
  })

  it('returns policy, rule, reason and the matched condition', () => {
    const q = rules(`      - id: big\n        tools: [pay.send]\n        action: human_approval\n        reason: Large payments need a person.\n        when: {arg: amount, gt: 100}\n`)
    expect(decide(q, call('pay.send', {amount: 500}))).toEqual({
      action: 'human_approval',
      policy: 'p',
      rule: 'big',
      reason: 'Large payments need a person.',
      condition: 'args.amount > 100',
    })
  })

  it('stages restrict a rule', () => {
    const q = rules(`      - {id: res, tools: [fs.*], action: allow, stages: [resource]}\n`)
    expect(decide(q, call('fs.file:///x', {}, {stage: 'resource'})).action).toBe('allow')
    expect(decide(q, call('fs.read')).action).toBe('deny')
  })
})

describe('limits', () => {
  const p = compile(`settings:
  loop_detection: {max: 2, window: 10s}
policies:
  - name: p
    agent: "*"
    rate_limit: {max_per_minute: 5, max_total: 8}
    rules:
      - {id: reads, tools: [fs.read], action: allow, rate_limit: {max_per_minute: 3}}
      - {id: others, tools: [fs.*], action: allow}
      - {id: approve, tools: [gh.*], action: human_approval}
`)

  it('loop detection: the same tool with the same arguments max times in the window, then deny; window slides', () => {
    const store = new PolicyStateStore()
    const c = call('fs.list', {dir: '/a', depth: 1})
    const t0 = 1_000_000
    for (let i = 0; i < 2; i++) {
      const d = evaluate(p, c, store.snapshot(t0 + i))
      expect(d.action).toBe('allow')
      store.record(c, d, t0 + i)
    }

    expect(evaluate(p, c, store.snapshot(t0 + 2))).toMatchObject({action: 'deny', limit: 'loop'})
    // Same arguments in another key order are the same call; other arguments are not.
    expect(evaluate(p, call('fs.list', {depth: 1, dir: '/a'}), store.snapshot(t0 + 3)).limit).toBe('loop')
    expect(evaluate(p, call('fs.list', {dir: '/b', depth: 1}), store.snapshot(t0 + 3)).action).toBe('allow')
    expect(evaluate(p, c, store.snapshot(t0 + 10_001)).action).toBe('allow')
  })

  it('loop detection is on by default and can be turned off', () => {
    const defaults = rules(`      - {id: a, tools: ["*"], action: allow}\n`)
    expect(defaults.settings.loop).toEqual({enabled: true, max: 3, windowSec: 10})
    const off = compile(`settings: {loop_detection: false}\npolicies:\n  - {name: p, agent: "*", rules: [{tools: ["*"], action: allow}]}\n`)
    const store = new PolicyStateStore()
    const c = call('x.y')
    for (let i = 0; i < 10; i++) store.record(c, evaluate(off, c, store.snapshot(i)), i)
    expect(evaluate(off, c, store.snapshot(11)).action).toBe('allow')
  })

  it('rule rate limit per agent and tool, policy rate limit per agent, both sliding', () => {
    const store = new PolicyStateStore()
    const t0 = 5_000_000
    for (let i = 0; i < 3; i++) {
      const c = call('fs.read', {n: i})
      store.record(c, evaluate(p, c, store.snapshot(t0 + i)), t0 + i)
    }

    expect(evaluate(p, call('fs.read', {n: 9}), store.snapshot(t0 + 10))).toMatchObject({action: 'deny', limit: 'rate_limit', rule: 'reads'})
    // Another agent has its own window.
    expect(evaluate(p, call('fs.read', {n: 9}, {agent: 'agent-2'}), store.snapshot(t0 + 10)).action).toBe('allow')
    // Other tools still count towards the agent's policy limit of 5 per minute.
    for (let i = 0; i < 2; i++) {
      const c = call('fs.stat', {n: i})
      store.record(c, evaluate(p, c, store.snapshot(t0 + 20 + i)), t0 + 20 + i)
    }

    expect(evaluate(p, call('fs.stat', {n: 7}), store.snapshot(t0 + 30)).limit).toBe('rate_limit')
    // A minute later both windows have slid; the lifetime total (8) still counts 5.
    expect(evaluate(p, call('fs.read', {n: 9}), store.snapshot(t0 + 60_010)).action).toBe('allow')
  })

  it('max_total is a lifetime budget', () => {
    const store = new PolicyStateStore()
    for (let i = 0; i < 8; i++) {
      const c = call('fs.x', {i})
      store.record(c, evaluate(p, c, store.snapshot(i * 61_000)), i * 61_000)
    }

    expect(evaluate(p, call('fs.x', {i: 99}), store.snapshot(9 * 61_000))).toMatchObject({limit: 'rate_limit'})
    expect(evaluate(p, call('fs.x', {i: 99}), store.snapshot(9 * 61_000)).reason).toMatch(/8 calls in total/)
  })

  it('denied calls are not counted', () => {
    const store = new PolicyStateStore()
    const c = call('zz.top')
    for (let i = 0; i < 5; i++) store.record(c, evaluate(p, c, store.snapshot(i)), i)
    expect(store.countSince('a\u0000agent-1', -1)).toBe(0)
  })

  it('the kill switch denies every call of the agent, whatever its spelling', () => {
    const snapshot = emptySnapshot(1, {killed: new Set(['Agent-1'])})
    expect(evaluate(p, call('fs.read'), snapshot)).toMatchObject({action: 'deny', limit: 'kill_switch'})
    expect(evaluate(p, call('fs.read', {}, {agent: 'agent-2'}), snapshot).action).toBe('allow')
    expect(evaluate(p, call('fs.read', {}, {agent: 'agent-2'}), emptySnapshot(1, {killed: new Set(['*'])})).limit).toBe('kill_switch')
  })

  it('grants lift human_approval until they expire, and never a deny', () => {
    const grant: Grant = {id: 'g_1', agent: 'agent-*', tools: ['gh.create_*'], createdAt: 1000, expiresAt: 2000, createdBy: 'me'}
    const at = (now: number, tool = 'gh.create_issue') => evaluate(p, call(tool), emptySnapshot(now, {grants: [grant]}))
    expect(at(1500)).toMatchObject({action: 'allow', grant: 'g_1', rule: 'approve'})
    expect(at(2000).action).toBe('human_approval')
    expect(at(999).action).toBe('human_approval')
    expect(at(1500, 'gh.merge').action).toBe('human_approval')
    const denyAll = rules(`      - {id: no, tools: [gh.*], action: deny}\n`)
    const wide: Grant = {...grant, tools: ['*']}
    expect(evaluate(denyAll, call('gh.create_issue'), emptySnapshot(1500, {grants: [wide]})).action).toBe('deny')
  })

  it('the store keeps memory bounded', () => {
    const store = new PolicyStateStore({maxKeys: 100, maxEventsPerKey: 8})
    for (let i = 0; i < 1000; i++) store.record(call('a.b', {i}), {action: 'allow', policy: null, rule: null, reason: ''}, i)
    expect(store.size).toBeLessThanOrEqual(100)
    for (let i = 0; i < 50; i++) store.record(call('a.c'), {action: 'allow', policy: null, rule: null, reason: ''}, 2000 + i)
    expect(store.countSince('t\u0000agent-1\u0000a\u0000c', 0)).toBe(8)
  })

  it('eviction keeps a repeated argument set (the loop being detected) and the tool\'s own window', () => {
    const store = new PolicyStateStore({maxKeys: 100, maxEventsPerKey: 8})
    const allow = {action: 'allow', policy: null, rule: null, reason: ''} as const
    for (let i = 0; i < 1000; i++) {
      store.record(call('a.b', {i}), allow, i)
      store.record(call('a.b', {hot: true}), allow, i)
    }

    expect(store.size).toBeLessThanOrEqual(100)
    expect(store.countSince('l\u0000agent-1\u0000a\u0000b\u0000' + argsKey({hot: true}), 0)).toBe(8)
    expect(store.countSince('t\u0000agent-1\u0000a\u0000b', 0)).toBe(8)
  })
})

describe('agent-mesh format', () => {
  it('reads a policies file with rate_limit and a numeric condition as it is', () => {
    const p = compile(`port: 9090
trace_file: traces.jsonl
approval:
  timeout_seconds: 300
policies:
  - name: support-agent
    agent: "support-*"
    rate_limit:
      max_per_minute: 10
      max_total: 0
    rules:
      - tools: ["petstore.get_pet_by_id", "petstore.find_*"]
        action: allow
      - tools: ["payments.refund"]
        action: human_approval
        condition:
          field: params.amount
          operator: ">"
          value: 50
      - tools: ["payments.refund"]
        action: allow
      - tools: ["petstore.delete_pet"]
        action: deny
  - name: default
    agent: "*"
    rules:
      - tools: ["*"]
        action: deny
`)
    expect(p.settings.approvalTimeoutSec).toBe(300)
    expect(p.document.format).toBe('agent-mesh')
    const support = (tool: string, args = {}) => decide(p, call(tool, args, {agent: 'support-1'}))
    expect(support('petstore.find_pets_by_status')).toMatchObject({action: 'allow', policy: 'support-agent', rule: 'support-agent#1'})
    expect(support('payments.refund', {amount: 80}).action).toBe('human_approval')
    expect(support('payments.refund', {amount: 20}).action).toBe('allow')
    expect(support('petstore.delete_pet').action).toBe('deny')
    expect(decide(p, call('petstore.get_pet_by_id', {}, {agent: 'claude'})).policy).toBe('default')
  })

  it('reads a single top-level policy and != as "present and different"', () => {
    const p = compile(`name: claude
agent: claude
rules:
  - tools: ["gmail-*.gmail_delete_*"]
    action: deny
  - tools: ["gmail-*.gmail_send_email"]
    action: allow
    condition: {field: params.to, operator: "!=", value: "ceo@example.com"}
`)
    const c = (args: Record<string, unknown>) => decide(p, call('gmail-work.gmail_send_email', args, {agent: 'claude'})).action
    expect(c({to: 'a@example.com'})).toBe('allow')
    expect(c({to: 'ceo@example.com'})).toBe('deny')
    expect(c({})).toBe('deny')
    expect(decide(p, call('gmail-perso.gmail_delete_email', {}, {agent: 'claude'})).action).toBe('deny')
  })
})

describe('compile errors and settings', () => {
  it('throws PolicyError with file:line:col and a suggestion', () => {
    let error: unknown
    try {
      compile('policies:\n  - name: p\n    agent: "*"\n    rules:\n      - tools: [a.b]\n        actoin: allow\n')
    } catch (e) {
      error = e
    }

    expect(error).toBeInstanceOf(PolicyError)
    expect((error as PolicyError).exitCode).toBe(3)
    expect((error as PolicyError).message).toMatch(/^test\.yaml:6:9: unknown key "actoin" in a rule \(did you mean "action"\?\)/)
  })

  it('refuses invisible characters in patterns and bad regular expressions', () => {
    expect(() => rules('      - {tools: ["github.delete\u200b_*"], action: deny}\n')).toThrow(/invisible/)
    expect(() => rules('      - {tools: [a.b], action: deny, when: {arg: x, matches: "("}}\n')).toThrow(/invalid regular expression/)
    expect(() => rules('      - {tools: [a.b], action: deny, when: {arg: x, under: relative/dir}}\n')).toThrow(/not an absolute path/)
  })

  it('maps the settings block onto PolicySettings', () => {
    const p = compile(`settings:
  approval_timeout: 2m
  pinning: warn
  scanning: block
  redact_results: false
  record_arguments: redacted
  loop_detection: {enabled: true, max: 4, window: 1m}
policies:
  - {name: p, agent: "*", rules: [{tools: ["*"], action: deny}]}
`)
    expect(p.settings).toEqual({approvalTimeoutSec: 120, pinning: 'warn', scanning: 'block', redactResults: false, recordArguments: 'redacted', loop: {enabled: true, max: 4, windowSec: 60}, approveInClient: []})
  })
})

describe('approve_in_client: whose client may be asked to approve', () => {
  const head = 'policies:\n  - {name: p, agent: "*", rules: [{tools: ["*"], action: deny}]}\n'
  it('names no agent by default: every approval goes to agentgov approvals', () => {
    const p = compile(head)
    expect(p.settings.approveInClient).toEqual([])
    expect(approvesInClient(p.settings, 'claude-code')).toBe(false)
  })

  it('takes agent ids and globs in canonical form, matched like `agent:`', () => {
    const p = compile(`settings:\n  approve_in_client: [Claude-Code, "vscode*"]\n${head}`)
    expect(p.settings.approveInClient).toEqual(['claude-code', 'vscode*'])
    expect(approvesInClient(p.settings, 'CLAUDE-CODE')).toBe(true)
    expect(approvesInClient(p.settings, 'ｃｌａｕｄｅ-code')).toBe(true)
    expect(approvesInClient(p.settings, 'vscode-insiders')).toBe(true)
    expect(approvesInClient(p.settings, 'release-bot')).toBe(false)
    expect(approvesInClient(p.settings, 'claude-code\u200b')).toBe(false)
    expect(compile(`settings: {approve_in_client: cursor}\n${head}`).settings.approveInClient).toEqual(['cursor'])
  })

  it('refuses what is not a list of names, and a name with invisible characters', () => {
    expect(() => compile(`settings: {approve_in_client: [{a: 1}]}\n${head}`)).toThrow(/an agent in approve_in_client must be a non-empty string/)
    expect(() => compile(`settings: {approve_in_client: ["curs\u200bor"]}\n${head}`)).toThrow(/invisible/)
    expect(() => compile(`settings: {aprove_in_client: [cursor]}\n${head}`)).toThrow(/did you mean "approve_in_client"/)
  })

  it('lint warns about a wildcard, which takes in bots that would approve their own calls', () => {
    const result = lintText(`settings:\n  approve_in_client: [cursor, "*"]\n${head}`, 'p.yaml', {home: '/home/u', caseInsensitive: false})
    expect(result.errors).toEqual([])
    expect(result.warnings).toMatchObject([{code: 'approve-in-client-wildcard', line: 2}])
    expect(result.warnings[0].message).toMatch(/bots too/)
    expect(lintText(`settings:\n  approve_in_client: [cursor]\n${head}`, 'p.yaml', {home: '/home/u', caseInsensitive: false}).warnings).toEqual([])
  })
})

describe('isToolVisible', () => {
  const p = rules(`      - {id: d, tools: [gh.delete_*], action: deny}
      - {id: ro, tools: [fs.*], action: allow, when: {annotation: readOnlyHint, equals: true}}
      - {id: fs-deny, tools: [fs.*], action: deny}
      - {id: cond, tools: [db.query], action: allow, when: {arg: sql, matches: "^select"}}
      - {id: ask, tools: [gh.*], action: human_approval}
`)
  const visible = (qualified: string, annotations = {}) => {
    const [server, tool] = qualified.split('.')
    return isToolVisible(p, {agent: 'x', server, tool, annotations})
  }

  it('hides tools every call of which is denied, and shows the rest', () => {
    expect(visible('gh.delete_repo')).toBe(false)
    expect(visible('gh.create_issue')).toBe(true)
    expect(visible('fs.read', {readOnlyHint: true})).toBe(true)
    expect(visible('fs.write', {readOnlyHint: false})).toBe(false)
    expect(visible('db.query')).toBe(true)
    expect(visible('other.tool')).toBe(false)
    expect(isToolVisible(p, {agent: 'x', server: 'gh', tool: 'create\u200b_issue'})).toBe(false)
  })
})

describe('PolicyHolder', () => {
  it('swaps a good policy in and keeps it when the new text fails to compile', () => {
    const holder = new PolicyHolder(rules('      - {id: a, tools: ["*"], action: allow}\n'), {home: '/home/u', platform: 'linux'})
    const first = holder.current
    const bad = holder.reloadText('policies: [oops', 'policy.yaml')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error.message).toMatch(/^policy\.yaml:\d+:\d+: /)
    expect(holder.current).toBe(first)
    const good = holder.reloadText('policies:\n  - {name: q, agent: "*", rules: [{tools: ["*"], action: deny}]}\n', 'policy.yaml')
    expect(good.ok).toBe(true)
    expect(decide(holder.current, call('a.b')).action).toBe('deny')
    expect(holder.reload('/nonexistent/policy.yaml').ok).toBe(false)
    expect(decide(holder.current, call('a.b')).action).toBe('deny')
  })
})
