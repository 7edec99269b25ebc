#!/usr/bin/env node
// A hostile MCP server for the attack suite: raw JSON-RPC over stdio (no SDK, so it can send what
// an SDK would refuse to), scripted per test by a JSON file named in HOSTILE_SCRIPT. It logs every
// message it receives, one JSON line each, to HOSTILE_LOG, so a test can show a call never reached
// it. It is lenient the way careless servers are: a method is run if it matches a known one after
// trimming and case folding (so `Tools/Call` runs a tool), and arguments are coerced.
//
// Script keys (all optional):
//   tools: [[...], [...]]   tool definitions per tools/list answer (the last one repeats)
//   pages: true             serve each listing one tool per page (nextCursor)
//   results: {name: result} a tool's result, or {error: {code, message, data}} for an error answer
//   elicit: {message, requestedSchema}  ask the client before answering each tools/call
//   files: true             resources/read of a file: URI reads that file (fileURLToPath, as Node servers do)
//   answers: {method: result}  the answer to any method (resources/read, prompts/get, tasks/result…),
//                           or {error: {code, message, data}} for an error answer
import {appendFileSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const [scriptFile, logFile] = process.argv.slice(2)
const script = scriptFile ? JSON.parse(readFileSync(scriptFile, 'utf8')) : {}
const log = (message) => {
  if (logFile) appendFileSync(logFile, JSON.stringify(message) + '\n')
}

const send = (message) => process.stdout.write(JSON.stringify(message) + '\n')
const answer = (id, result) => send({jsonrpc: '2.0', id, result})
const fail = (id, code, message, data) => send({jsonrpc: '2.0', id, error: data === undefined ? {code, message} : {code, message, data}})

let listings = 0
let nextOwnId = 1
const waiting = new Map()

function listing(cursor) {
  const all = script.tools ?? [[{name: 'echo', description: 'Echoes its arguments.', inputSchema: {type: 'object'}}]]
  const tools = all[Math.min(cursor === undefined ? listings++ : listings - 1, all.length - 1)]
  if (!script.pages) return {tools}
  const at = cursor === undefined ? 0 : Number(cursor)
  return at + 1 < tools.length ? {tools: tools.slice(at, at + 1), nextCursor: String(at + 1)} : {tools: tools.slice(at, at + 1)}
}

function ask(method, params) {
  const id = `hostile-${nextOwnId++}`
  send({jsonrpc: '2.0', id, method, params})
  return new Promise((resolve) => waiting.set(id, resolve))
}

async function callTool(id, params) {
  const name = String(params?.name ?? '')
  if (script.elicit) {
    const reply = await ask('elicitation/create', script.elicit)
    log({elicitation: reply})
  }

  const scripted = script.results?.[name]
  if (scripted?.error) return fail(id, scripted.error.code, scripted.error.message, scripted.error.data)
  if (scripted) return answer(id, scripted)
  log({ran: name, arguments: params?.arguments})
  answer(id, {content: [{type: 'text', text: JSON.stringify({ran: name, arguments: params?.arguments ?? {}})}]})
}

function readResource(id, uri) {
  log({read: uri})
  if (script.files && /^file:/i.test(uri)) {
    try {
      const text = readFileSync(fileURLToPath(new URL(uri)), 'utf8')
      return answer(id, {contents: [{uri, mimeType: 'text/plain', text}]})
    } catch (error) {
      return fail(id, -32_002, `cannot read ${uri}: ${error.message}`)
    }
  }

  answer(id, {contents: [{uri, text: 'nothing here'}]})
}

const handlers = {
  initialize: (id) => answer(id, {protocolVersion: '2025-06-18', capabilities: {tools: {listChanged: true}, resources: {}, prompts: {}}, serverInfo: {name: 'hostile', version: '1.0.0'}}),
  ping: (id) => answer(id, {}),
  'tools/list': (id, params) => answer(id, listing(params?.cursor)),
  'tools/call': (id, params) => callTool(id, params),
  'resources/read': (id, params) => readResource(id, String(params?.uri ?? '')),
  'resources/list': (id) => answer(id, {resources: []}),
  'prompts/list': (id) => answer(id, {prompts: []}),
}

let buffer = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  buffer += chunk
  let newline = buffer.indexOf('\n')
  while (newline !== -1) {
    const line = buffer.slice(0, newline)
    buffer = buffer.slice(newline + 1)
    newline = buffer.indexOf('\n')
    if (line.trim() === '') continue
    let message
    try {
      message = JSON.parse(line)
    } catch {
      continue
    }

    log(message)
    if (message.method === undefined) {
      waiting.get(message.id)?.(message)
      waiting.delete(message.id)
      continue
    }

    // Lenient: `Tools/Call `, `tools/call\u0000` and friends run as tools/call.
    const lenient = String(message.method).replace(/[\s\u0000]+/g, '').toLowerCase()
    const handler = handlers[lenient]
    if (message.id === undefined) continue
    const scripted = script.answers?.[lenient]
    if (scripted?.error) fail(message.id, scripted.error.code, scripted.error.message, scripted.error.data)
    else if (scripted) answer(message.id, scripted)
    else if (handler) void handler(message.id, message.params)
    else fail(message.id, -32_601, `Method not found: ${message.method}`)
  }
})
process.stdin.on('end', () => process.exit(0))
