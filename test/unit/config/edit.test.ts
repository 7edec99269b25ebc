import {describe, expect, it} from 'vitest'

import {parseConfig} from '../../../src/config/document.js'
import {applyConfigEdits, replaceSpan, spanText} from '../../../src/config/edit.js'

describe('in-place config edits', () => {
  it('JSONC: keeps CRLF, tabs, comments and a BOM; places a new key after its sibling', () => {
    const text = '\uFEFF{\r\n\t// servers\r\n\t"mcpServers": {\r\n\t\t"a": {"command": "x", "env": {}} /* note */\r\n\t}\r\n}\r\n'
    const out = applyConfigEdits(text, 'jsonc', [
      {op: 'set', path: ['mcpServers', 'a', 'command'], value: '/bin/node'},
      {op: 'set', path: ['mcpServers', 'a', 'args'], value: ['p', '--', 'x'], after: 'command'},
    ])
    expect(out.startsWith('\uFEFF{\r\n\t// servers\r\n')).toBe(true)
    expect(out.replaceAll('\r\n', '')).not.toContain('\n')
    expect(out).toContain('/* note */')
    expect(out).toMatch(/"command": "\/bin\/node",\s*"args": \["p", "--", "x"\]/)
  })

  it('JSONC: a multi-line array stays one item per line', () => {
    const text = '{\n  "a": {\n    "args": [\n      "x",\n      "y"\n    ]\n  }\n}\n'
    expect(applyConfigEdits(text, 'json', [{op: 'set', path: ['a', 'args'], value: ['1', '2']}])).toBe('{\n  "a": {\n    "args": [\n      "1",\n      "2"\n    ]\n  }\n}\n')
  })

  it('TOML: edits a multi-line array and keeps comments, sub-tables and the next table', () => {
    const text = '# top\n[mcp_servers.fs] # fs\ncommand = "npx" # runner\nargs = [\n  "-y", # flag\n  "pkg",\n]\n\n[mcp_servers.fs.env]\nK = "v"\n\n# other\n[other]\nx = 1\n'
    const out = applyConfigEdits(text, 'toml', [
      {op: 'set', path: ['mcp_servers', 'fs', 'command'], value: 'node'},
      {op: 'set', path: ['mcp_servers', 'fs', 'args'], value: ['run.js', '--', 'npx']},
    ])
    expect(out).toBe('# top\n[mcp_servers.fs] # fs\ncommand = "node" # runner\nargs = ["run.js", "--", "npx"]\n\n[mcp_servers.fs.env]\nK = "v"\n\n# other\n[other]\nx = 1\n')
    expect(spanText(text, 'toml', ['mcp_servers', 'fs'])).toBe(text.slice(text.indexOf('[mcp_servers.fs]'), text.indexOf('\n\n# other') + 1))
  })

  it('TOML: an entry written as an inline table is rewritten on its one line', () => {
    const text = '[mcp_servers]\nfs = { command = "npx", args = ["x"] } # keep\n'
    const out = applyConfigEdits(text, 'toml', [{op: 'set', path: ['mcp_servers', 'fs', 'command'], value: 'node'}])
    expect(out).toBe('[mcp_servers]\nfs = { command = "node", args = ["x"] } # keep\n')
  })

  it('TOML: removes a key line and a sub-table, and adds a key after its sibling', () => {
    const text = '[s.r]\nurl = "https://x"\nenabled = true\n\n[s.r.http_headers]\nA = "b"\n\n[t]\n'
    const out = applyConfigEdits(text, 'toml', [
      {op: 'delete', path: ['s', 'r', 'url']},
      {op: 'delete', path: ['s', 'r', 'http_headers']},
      {op: 'set', path: ['s', 'r', 'command'], value: 'node'},
    ])
    expect(out).toBe('[s.r]\nenabled = true\ncommand = "node"\n\n\n[t]\n')
  })

  it('YAML: keeps comments and block style elsewhere; a list item gains a key in place', () => {
    const text = 'mcpServers: # list\n  - name: a   # first\n    command: uvx\n    args:\n      - one\n  - name: b\n    url: https://x\n'
    const out = applyConfigEdits(text, 'yaml', [
      {op: 'set', path: ['mcpServers', 0, 'command'], value: '/usr/bin/node'},
      {op: 'set', path: ['mcpServers', 0, 'args'], value: ['r.js', '--', 'uvx', 'one']},
      {op: 'delete', path: ['mcpServers', 1, 'url']},
      {op: 'set', path: ['mcpServers', 1, 'command'], value: 'true'},
    ])
    expect(out).toBe('mcpServers: # list\n  - name: a   # first\n    command: /usr/bin/node\n    args: ["r.js", "--", "uvx", "one"]\n  - name: b\n    command: "true"\n')
    expect(parseConfig(out, 'yaml').value).toEqual({mcpServers: [{name: 'a', command: '/usr/bin/node', args: ['r.js', '--', 'uvx', 'one']}, {name: 'b', command: 'true'}]})
  })

  it('puts an entry original text back verbatim', () => {
    const text = '{"s": {"a": {"command": "x"}, "b": 1}}'
    expect(replaceSpan(text, 'json', ['s', 'a'], '{ "command" : "y" }')).toBe('{"s": {"a": { "command" : "y" }, "b": 1}}')
  })
})
