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

  it('finds where a value is written: JSON and YAML by their trees, TOML inside the entry\'s tables', () => {
    const json = parseConfig('{\n  "servers": {\n    "tok": {"env": {"tok": "tok"},\n      "args": ["-y", 42]}\n  }\n}\n', 'json')
    // The key "tok" comes first in the text; the value is what is found.
    expect(json.findValue(['servers', 'tok'], 'tok')).toEqual({line: 3, column: 28})
    expect(json.findValue(['servers', 'tok'], '42')).toEqual({line: 4, column: 22})
    expect(json.findValue(['servers', 'tok'], 'absent')).toBeUndefined()
    const yaml = parseConfig('servers:\n  - name: a\n    env:\n      KEY: secret-value\n', 'yaml')
    expect(yaml.findValue(['servers', 0], 'secret-value')).toEqual({line: 4, column: 12})
    expect(yaml.findValue(['servers', 0], 'KEY')).toBeUndefined()
    const toml = parseConfig('[mcp_servers.a]\ncommand = "x"\n[mcp_servers.a.env]\nK = \'v1\'\n[mcp_servers.b]\nK = "v2"\n', 'toml')
    expect(toml.findValue(['mcp_servers', 'a'], 'v1')).toEqual({line: 4, column: 5})
    // v2 belongs to another server's table: not this entry's.
    expect(toml.findValue(['mcp_servers', 'a'], 'v2')).toBeUndefined()
    expect(toml.findValue(['mcp_servers', 'b'], 'v2')).toEqual({line: 6, column: 5})
  })
})
