#!/usr/bin/env node
// A real MCP server on the 2.x SDK (@modelcontextprotocol/server) whose tools, prompts and
// resources are read from a JSON file at start, so a test can make it honest, poisoned, or change
// a definition between two launches (a rug pull), in either era and over stdio or streamable HTTP.
//
//   node scan-server.mjs DEFS.json [--era legacy|modern|dual] [--transport stdio|http]
//
// DEFS.json: {name, tools: [{name, title?, description, inputSchema?, annotations?}],
//             prompts?: [{name, description}], resources?: [{name, uri, description}]}
// --era legacy  McpServer.connect(StdioServerTransport): speaks only the 2025 era (stdio only).
// --era modern  serveStdio / createMcpHandler with legacy: 'reject': only 2026-07-28.
// --era dual    serveStdio / createMcpHandler with their defaults: both eras.
// Over HTTP, SCAN_SERVER_TOKEN makes it refuse (401) a request without that bearer token.
// Every tool answers with its own name: nothing here should ever be called by a scan, and each
// call is appended to SCAN_SERVER_CALLS (a file) when set, so a test can show none was.
import {appendFileSync, readFileSync} from 'node:fs'
import {createServer} from 'node:http'

import {createMcpHandler, fromJsonSchema, McpServer} from '@modelcontextprotocol/server'
import {serveStdio, StdioServerTransport} from '@modelcontextprotocol/server/stdio'

import {serveFetch} from './serve-fetch.mjs'

const [defsFile] = process.argv.slice(2)
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : process.argv[at + 1]
}
const era = option('era', 'dual')
const transport = option('transport', 'stdio')
const defs = JSON.parse(readFileSync(defsFile, 'utf8'))

const called = (what) => {
  if (process.env.SCAN_SERVER_CALLS) appendFileSync(process.env.SCAN_SERVER_CALLS, what + '\n')
}

function build() {
  const server = new McpServer({name: defs.name ?? 'scan-server', version: '1.0.0'})
  for (const tool of defs.tools ?? []) {
    const {name, inputSchema, ...config} = tool
    server.registerTool(name, {...config, inputSchema: fromJsonSchema(inputSchema ?? {type: 'object', properties: {}})}, async () => {
      called(`tool ${name}`)
      return {content: [{type: 'text', text: name}]}
    })
  }

  for (const prompt of defs.prompts ?? []) {
    server.registerPrompt(prompt.name, {description: prompt.description}, async () => {
      called(`prompt ${prompt.name}`)
      return {messages: [{role: 'user', content: {type: 'text', text: prompt.name}}]}
    })
  }

  for (const resource of defs.resources ?? []) {
    server.registerResource(resource.name, resource.uri, {description: resource.description, mimeType: 'text/plain'}, async (uri) => {
      called(`resource ${resource.name}`)
      return {contents: [{uri: uri.href, text: resource.name}]}
    })
  }

  return server
}

if (transport === 'stdio') {
  if (era === 'legacy') await build().connect(new StdioServerTransport())
  else serveStdio(build, {legacy: era === 'modern' ? 'reject' : 'serve'})
} else if (transport === 'http') {
  if (era === 'legacy') throw new Error('--era legacy is stdio only')
  const handler = createMcpHandler(build, {legacy: era === 'modern' ? 'reject' : 'stateless'})
  // SCAN_SERVER_TOKEN: answer 401 to a request without `Authorization: Bearer <token>`, as a hosted server does.
  const token = process.env.SCAN_SERVER_TOKEN
  const server = createServer((req, res) => {
    if (token && req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401, {'content-type': 'application/json'}).end('{"error":"unauthorized"}')
    void serveFetch(handler, req, res)
  })
  server.listen(0, '127.0.0.1', () => {
    process.stderr.write(`scan-server listening on http://127.0.0.1:${server.address().port}/mcp\n`)
  })
} else {
  throw new Error(`--transport ${transport} is not stdio or http`)
}
