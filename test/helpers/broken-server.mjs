#!/usr/bin/env node
/* global setInterval */
// A stdio MCP server that goes wrong the ways real ones do, for `agentgov scan` to survive:
//
//   node broken-server.mjs hang|crash PIDS_FILE
//
// Both start a grandchild first (as npx, uvx and shell wrappers do) and write their own pid and
// the grandchild's to PIDS_FILE, so a test can show the scan left neither behind.
// hang:  ignores SIGTERM and never answers anything.
// crash: answers `initialize` (and refuses `server/discover` as a 2025 server does), then, asked
//        for its tools, writes a reason to stderr and exits 3.
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {createInterface} from 'node:readline'

const [mode, pidsFile] = process.argv.slice(2)
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'})
writeFileSync(pidsFile, JSON.stringify({server: process.pid, grandchild: grandchild.pid}))

if (mode === 'hang') {
  process.on('SIGTERM', () => {})
  setInterval(() => {}, 1000)
} else {
  const send = (message) => process.stdout.write(JSON.stringify({jsonrpc: '2.0', ...message}) + '\n')
  createInterface({input: process.stdin}).on('line', (line) => {
    const message = JSON.parse(line)
    if (message.method === 'initialize') send({id: message.id, result: {protocolVersion: '2025-06-18', capabilities: {tools: {}}, serverInfo: {name: 'broken', version: '1'}}})
    else if (message.method === 'tools/list') {
      process.stderr.write('broken-server: out of memory while listing tools\n')
      process.exit(3)
    } else if (message.id !== undefined) send({id: message.id, error: {code: -32_601, message: `Method not found: ${message.method}`}})
  })
}
