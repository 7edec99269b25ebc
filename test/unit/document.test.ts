import {describe, expect, it} from 'vitest'

import {ConfigSyntaxError, parseConfig} from '../../src/config/document.js'

describe('parseConfig', () => {
  it('reads JSONC with comments, trailing commas and a BOM, and finds lines of keys', () => {
    const doc = parseConfig('\uFEFF{\n  // servers\n  "servers": {\n    "a": {"command": "x",},\n  },\n}\n', 'jsonc')
    expect(doc.value).toEqual({servers: {a: {command: 'x'}}})
    expect(doc.lineOf(['servers', 'a'])).toBe(4)
    expect(doc.lineOf(['servers', 'missing'])).toBeUndefined()
  })

  it('takes the last of duplicate JSON keys, as JSON.parse and the clients do', () => {
    expect(parseConfig('{"a": 1, "a": 2}', 'json').value).toEqual({a: 2})
  })

  it('reports the line and column of a JSON syntax error', () => {
    const error = (() => {
      try {
        parseConfig('{\n  "a": 1\n  "b": 2\n}', 'json')
      } catch (error_) {
        return error_
      }
    })()
    expect(error).toBeInstanceOf(ConfigSyntaxError)
    expect(error).toMatchObject({line: 3, column: 3})
  })

  it('reads TOML and points at quoted table headers', () => {
    const doc = parseConfig('# c\nmodel = "o3"\n\n[mcp_servers."my server"]\ncommand = "npx"\n', 'toml')
    expect(doc.value).toEqual({model: 'o3', mcp_servers: {'my server': {command: 'npx'}}})
    expect(doc.lineOf(['mcp_servers', 'my server'])).toBe(4)
  })

  it('reports TOML errors with a line', () => {
    expect(() => parseConfig('a = \n[x', 'toml')).toThrow(ConfigSyntaxError)
  })

  it('reads YAML lists and maps with lines', () => {
    const doc = parseConfig('mcpServers:\n  - name: a\n    command: x\n  - name: b\n    url: https://e\n', 'yaml')
    expect(doc.lineOf(['mcpServers', 1])).toBe(4)
    expect(parseConfig('extensions:\n  gh:\n    type: sse\n', 'yaml').lineOf(['extensions', 'gh'])).toBe(2)
    expect(() => parseConfig('a: [1,\n', 'yaml')).toThrow(/invalid YAML/)
  })
})
