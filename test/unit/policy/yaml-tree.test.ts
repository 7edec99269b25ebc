import {describe, expect, it} from 'vitest'

import {parsePolicy} from '../../../src/policy/schema.js'
import {parseCases} from '../../../src/policy/cases.js'
import {isMap, isScalar, isSeq, parseYamlTree, type YamlNode} from '../../../src/policy/yaml-tree.js'

/** A node's position and value, or a collection's kind, as `line:col value`. */
function at(tree: ReturnType<typeof parseYamlTree>, node: YamlNode | null | undefined): string {
  if (!node) return 'none'
  const {line, col} = tree.linePos(node.offset)
  return `${line}:${col} ${isScalar(node) ? JSON.stringify(node.value) : node.kind}`
}

function parse(text: string) {
  const tree = parseYamlTree(text)
  expect(tree.error).toBeUndefined()
  return tree
}

/** Every key and value of a mapping, in order, each placed. */
function pairs(tree: ReturnType<typeof parseYamlTree>, node: YamlNode | null | undefined): string[] {
  if (!isMap(node)) throw new Error(`not a mapping: ${node?.kind}`)
  return node.items.map((p) => `${at(tree, p.key)} => ${at(tree, p.value)}`)
}

function items(tree: ReturnType<typeof parseYamlTree>, node: YamlNode | null | undefined): string[] {
  if (!isSeq(node)) throw new Error(`not a list: ${node?.kind}`)
  return node.items.map((item) => at(tree, item))
}

const value = (node: YamlNode | null | undefined, key: string) => (isMap(node) ? node.items.find((p) => p.key.value === key)?.value : undefined)

describe('parseYamlTree positions', () => {
  it('places keys, values and list items in block style', () => {
    const tree = parse('name: p\nrules:\n  - id: a\n    tools:\n      - x.y\n      - "q.r"\n  - id: b\n')
    expect(pairs(tree, tree.root)).toEqual(['1:1 "name" => 1:7 "p"', '2:1 "rules" => 3:3 seq'])
    const rules = value(tree.root, 'rules')
    expect(items(tree, rules)).toEqual(['3:5 map', '7:5 map'])
    const first = isSeq(rules) ? rules.items[0] : undefined
    expect(pairs(tree, first)).toEqual(['3:5 "id" => 3:9 "a"', '4:5 "tools" => 5:7 seq'])
    expect(items(tree, value(first, 'tools'))).toEqual(['5:9 "x.y"', '6:9 "q.r"'])
  })

  it('places keys, values and list items in flow style', () => {
    const tree = parse('a: {b: 1, c: [x, "y", {d: e}]}\nf: [g, h: i]\n')
    const a = value(tree.root, 'a')
    expect(pairs(tree, a)).toEqual(['1:5 "b" => 1:8 1', '1:11 "c" => 1:14 seq'])
    expect(items(tree, value(a, 'c'))).toEqual(['1:15 "x"', '1:18 "y"', '1:23 map'])
    const f = value(tree.root, 'f')
    expect(items(tree, f)).toEqual(['2:5 "g"', '2:8 map'])
    expect(pairs(tree, isSeq(f) ? f.items[1] : undefined)).toEqual(['2:8 "h" => 2:11 "i"'])
  })

  it('a flow key without a value has none, as does `? key`', () => {
    const flow = parse('{a, b: 1}\n')
    expect(pairs(flow, flow.root)).toEqual(['1:2 "a" => none', '1:5 "b" => 1:8 1'])
    const explicit = parse('? a\n? b\n: 2\n')
    expect(pairs(explicit, explicit.root)).toEqual(['1:3 "a" => none', '2:3 "b" => 3:3 2'])
  })

  it('skips comments and blank lines before a node', () => {
    const tree = parse('# head\n\na:   # trailing\n\n  # inside\n  - x  # after\n  -\n    # before\n    y\n')
    expect(pairs(tree, tree.root)).toEqual(['3:1 "a" => 6:3 seq'])
    expect(items(tree, value(tree.root, 'a'))).toEqual(['6:5 "x"', '9:5 "y"'])
  })

  it('places empty values where yaml placed them: after the indicator on its own line', () => {
    const tree = parse('a:\nb:   # none\nc: &n\nd:\n  - \n  -\n  - z\n')
    expect(pairs(tree, tree.root).slice(0, 3)).toEqual(['1:1 "a" => 1:3 null', '2:1 "b" => 2:6 null', '3:1 "c" => 3:6 null'])
    expect(items(tree, value(tree.root, 'd'))).toEqual(['5:5 null', '6:4 null', '7:5 "z"'])
  })

  it('places a node after its tag or anchor, and applies the tag', () => {
    const tree = parse('a: !!str 1\nb: &x 2\nc: &y\n  "3"\nd: &z [1]\n')
    expect(pairs(tree, tree.root)).toEqual(['1:1 "a" => 1:10 "1"', '2:1 "b" => 2:7 2', '3:1 "c" => 4:3 "3"', '5:1 "d" => 5:7 seq'])
  })

  it('resolves aliases to the anchored node itself', () => {
    const tree = parse('base: &b\n  tools: [a.b]\nlist: &l [x, y]\nname: &n hello\nuse:\n  - *b\n  - *l\n  - *n\n')
    const use = value(tree.root, 'use')
    expect(isSeq(use) && use.items[0]).toBe(value(tree.root, 'base'))
    expect(isSeq(use) && use.items[1]).toBe(value(tree.root, 'list'))
    expect(isSeq(use) && use.items[2]).toBe(value(tree.root, 'name'))
    expect(items(tree, use)).toEqual(['2:3 map', '3:10 seq', '4:10 "hello"'])
  })

  it('a redefined anchor: an alias takes the latest definition before it', () => {
    const tree = parse('- &a one\n- *a\n- &a two\n- *a\n')
    expect(items(tree, tree.root)).toEqual(['1:6 "one"', '1:6 "one"', '3:6 "two"', '3:6 "two"'])
  })

  it('keeps line and column right after a byte-order mark', () => {
    const tree = parse('\uFEFFa: 1\nb: 2\n')
    expect(pairs(tree, tree.root)).toEqual(['1:2 "a" => 1:5 1', '2:1 "b" => 2:4 2'])
    expect(parseYamlTree('\uFEFFa: [x, , y]\n').error).toMatchObject({line: 1, col: 9})
  })
})

describe('parseYamlTree values (YAML 1.2 core schema)', () => {
  it('yes, no, on, off and dates stay strings; numbers, booleans and null are typed', () => {
    const tree = parse('a: yes\nb: off\nc: 2024-01-01\nd: 0x10\ne: true\nf: ~\ng: 1.5\n')
    expect(isMap(tree.root) && tree.root.value).toEqual({a: 'yes', b: 'off', c: '2024-01-01', d: 16, e: true, f: null, g: 1.5})
  })

  it('`<<` is a plain key, not a merge', () => {
    const tree = parse('base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n')
    expect(pairs(tree, value(tree.root, 'use'))).toEqual(['3:3 "<<" => 1:10 map', '4:3 "y" => 4:6 2'])
  })

  it('an alias used as a key is marked', () => {
    const tree = parse('- &k name\n- {*k : v}\n')
    const second = isSeq(tree.root) ? tree.root.items[1] : undefined
    expect(isMap(second) && second.items[0].aliasKey).toBe(true)
  })

  it('a file of comments has no root; a lone null does', () => {
    expect(parse('# nothing\n').root).toBeNull()
    expect(parse('').root).toBeNull()
    expect(at(parse('~\n'), parse('~\n').root)).toBe('1:1 null')
  })
})

describe('parseYamlTree errors', () => {
  it('a duplicate key, at the second key', () => {
    expect(parseYamlTree('a: 1\nb:\n  c: 1\n  c: 2\n').error).toEqual({line: 4, col: 3, message: 'duplicated mapping key'})
  })

  it('more than one document, at the second', () => {
    expect(parseYamlTree('a: 1\n# two\n---\nb: 2\n').error).toMatchObject({line: 3, col: 1, message: expect.stringMatching(/one YAML document/)})
  })

  it('a syntax error, on one line, where js-yaml stopped', () => {
    expect(parseYamlTree('a:\n  - [x, y\nb: 1\n').error).toMatchObject({line: 3, col: 1, message: expect.not.stringContaining('\n')})
    expect(parseYamlTree('a: [x, , y]\n').error).toEqual({line: 1, col: 8, message: "expected the node content, but found ','"})
  })

  it('an unknown alias, an unknown tag and a tag that does not fit', () => {
    expect(parseYamlTree('a: *nope\n').error?.message).toMatch(/unidentified alias "nope"/)
    expect(parseYamlTree('a: !!binary aGk=\n').error?.message).toMatch(/unknown tag/)
    expect(parseYamlTree('a: !!str [x]\n').error?.line).toBe(1)
  })

  it('an alias inside the collection it names is refused, not followed forever', () => {
    expect(parseYamlTree('when: &w {not: *w}\n').error).toMatchObject({line: 1, col: 16, message: expect.stringMatching(/contains it/)})
  })
})

describe('the policy reader on the tree', () => {
  const policy = (rules: string) => `policies:\n  - name: p\n    agent: "*"\n    rules:\n${rules}`
  const diagnostics = (text: string) => parsePolicy(text, 'p.yaml', {home: '/home/u', caseInsensitive: false}).diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)

  it('reports `<<` as an unknown key', () => {
    expect(diagnostics(policy('      - &r {tools: [a.b], action: allow}\n      - <<: *r\n        id: two\n'))).toContainEqual(expect.stringMatching(/^unknown-key 6:9 unknown key "<<" in a rule/))
  })

  it('a YAML error is one diagnostic with code yaml', () => {
    expect(diagnostics(policy('      - {tools: [a.b], action: allow}\n      - {tools: [a.b], tools: [c.d], action: deny}\n'))).toEqual(['yaml 6:24 duplicated mapping key'])
  })

  it('an aliased value is reported where its anchor is', () => {
    expect(diagnostics(policy('      - {tools: [a.b], action: &act alow}\n      - {tools: [c.d], action: *act}\n'))).toEqual([
      'action 5:37 unknown action "alow" (did you mean "allow"?); expected allow, deny, human_approval or audit',
      'action 5:37 unknown action "alow" (did you mean "allow"?); expected allow, deny, human_approval or audit',
    ])
  })

  it('a key written as an alias is not a plain name', () => {
    expect(diagnostics(policy('      - {&k tools: [a.b], action: allow}\n      - {*k : [c.d], action: allow}\n'))).toContainEqual('type 6:10 keys in a rule must be plain names')
  })

  it('a cases file: errors carry its line and column', () => {
    expect(() => parseCases('cases:\n  - name: a\n    name: b\n', 'c.yaml')).toThrow(/^c\.yaml:3:5: duplicated mapping key/)
    expect(() => parseCases('cases:\n  - agent: a\n    tool: s.t\n    expect: allow\n  - nope\n', 'c.yaml')).toThrow(/^c\.yaml:5:5: each case must be a mapping/)
    expect(parseCases('# cases\ncases:\n  - {agent: a, tool: s.t, expect: deny}\n', 'c.yaml')[0]).toMatchObject({line: 3, call: {server: 's', tool: 't'}})
  })
})
