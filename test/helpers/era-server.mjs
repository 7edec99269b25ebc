#!/usr/bin/env node
// A real MCP server built on the 2.x SDK (@modelcontextprotocol/server) that truly speaks the
// modern era (2026-07-28) through the SDK's serving entries, for tests that must meet one.
//
//   node era-server.mjs [--transport stdio|http] [--era dual|modern|handwired]
//
// --era dual       serveStdio / createMcpHandler with their defaults: 2026-07-28 and 2025-era clients.
// --era modern     the same entries with legacy: 'reject': `initialize` gets -32022 (modern only).
// --era handwired  McpServer.connect(StdioServerTransport) with 2026-07-28 in supportedProtocolVersions:
//                  the way the issue tried it; it still speaks only the legacy era (stdio only).
// On HTTP it prints `era-server listening on http://127.0.0.1:PORT/mcp` to stderr (port: PORT or 0).
// ERA_STATE_TTL_SECONDS bounds how long a minted requestState is accepted (default 300).
//
// Tools: echo {text}; whoami (what the server read from this request: per-request _meta on modern,
// the initialize handshake on legacy); confirm_delete {path} (an MRTR form elicitation, its
// requestState HMAC-sealed by the SDK's codec; on legacy the SDK's shim sends a real
// elicitation/create instead); add_tool (adds `late_tool` and tells subscribed clients the list changed).
import {randomBytes} from 'node:crypto'
import {createServer} from 'node:http'

import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  createMcpHandler,
  createRequestStateCodec,
  fromJsonSchema,
  inputRequired,
  inputResponse,
  McpServer,
  PROTOCOL_VERSION_META_KEY,
} from '@modelcontextprotocol/server'
import {serveStdio, StdioServerTransport} from '@modelcontextprotocol/server/stdio'

import {serveFetch} from './serve-fetch.mjs'

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : process.argv[at + 1]
}
const transport = option('transport', 'stdio')
const era = option('era', 'dual')

const stateCodec = createRequestStateCodec({key: randomBytes(32), ttlSeconds: Number(process.env.ERA_STATE_TTL_SECONDS ?? 300)})
const CONFIRM_SCHEMA = {type: 'object', properties: {confirm: {type: 'boolean', description: 'Delete it?'}}, required: ['confirm']}
let lateTool = false
let httpHandler

const text = (value) => ({content: [{type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value)}]})

function build() {
  const server = new McpServer(
    {name: 'era-server', version: '1.0.0'},
    {
      capabilities: {tools: {listChanged: true}},
      // Cache hints make the modern lists carry ttlMs/cacheScope the caller can see.
      cacheHints: {'tools/list': {ttlMs: 60_000, cacheScope: 'public'}},
      requestState: {verify: stateCodec.verify},
      ...(era === 'handwired' && {supportedProtocolVersions: ['2026-07-28', '2025-11-25', '2025-06-18']}),
    },
  )
  server.registerTool('echo', {description: 'Echoes its text.', inputSchema: fromJsonSchema({type: 'object', properties: {text: {type: 'string'}}, required: ['text']})}, async ({text: said}) => text(said))

  server.registerTool('whoami', {description: 'What this server read about the caller for this request.'}, async (handlerCtx) => {
    // A tool without an input schema gets the context as its only argument.
    // The SDK lifts the reserved _meta keys out of params and keeps them under their wire names.
    const envelope = handlerCtx.mcpReq.envelope ?? {}
    if (envelope[PROTOCOL_VERSION_META_KEY]) {
      return text({era: 'modern', protocolVersion: envelope[PROTOCOL_VERSION_META_KEY], clientInfo: envelope[CLIENT_INFO_META_KEY], clientCapabilities: envelope[CLIENT_CAPABILITIES_META_KEY]})
    }
    return text({era: 'legacy', protocolVersion: server.server.getNegotiatedProtocolVersion?.(), clientInfo: server.server.getClientVersion(), clientCapabilities: server.server.getClientCapabilities()})
  })

  server.registerTool(
    'confirm_delete',
    {description: 'Deletes a path after the user confirms (asks by MRTR).', inputSchema: fromJsonSchema({type: 'object', properties: {path: {type: 'string'}}, required: ['path']})},
    async ({path}, handlerCtx) => {
      const state = handlerCtx.mcpReq.requestState()
      if (state === undefined) {
        return inputRequired({
          inputRequests: {confirm: inputRequired.elicit({message: `Delete ${path}?`, requestedSchema: CONFIRM_SCHEMA})},
          requestState: await stateCodec.mint({step: 'confirm', path}),
        })
      }
      // The state is the server's own word on what was asked; the arguments of the retry must match it.
      if (state.path !== path) return {isError: true, ...text(`requestState was minted for ${state.path}, not ${path}`)}
      const answer = inputResponse(handlerCtx.mcpReq.inputResponses, 'confirm')
      if (answer.kind === 'elicit' && answer.action === 'accept' && answer.content?.confirm === true) return text(`deleted ${path}`)
      return text(`kept ${path} (${answer.kind === 'elicit' ? answer.action : answer.kind})`)
    },
  )

  server.registerTool('add_tool', {description: 'Adds late_tool to the list and announces the change.'}, async () => {
    const added = !lateTool
    lateTool = true
    // stdio: registering on the live instance makes the SDK send list_changed (serveStdio routes it onto
    // subscriptions/listen for modern clients). HTTP: each request has its own instance, so the handler's bus says it.
    if (added && transport === 'stdio') registerLate(server)
    if (added && httpHandler) httpHandler.notify.toolsChanged()
    return text(added ? 'late_tool added' : 'late_tool was already there')
  })
  if (lateTool) registerLate(server)
  return server
}

function registerLate(server) {
  server.registerTool('late_tool', {description: 'Appears after add_tool.'}, async () => text('late'))
}

if (transport === 'stdio') {
  if (era === 'handwired') await build().connect(new StdioServerTransport())
  else serveStdio(build, {legacy: era === 'modern' ? 'reject' : 'serve'})
} else if (transport === 'http') {
  if (era === 'handwired') throw new Error('--era handwired is stdio only')
  httpHandler = createMcpHandler(build, {legacy: era === 'modern' ? 'reject' : 'stateless'})
  const server = createServer((req, res) => void serveFetch(httpHandler, req, res))
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stderr.write(`era-server listening on http://127.0.0.1:${server.address().port}/mcp\n`)
  })
} else {
  throw new Error(`--transport ${transport} is not stdio or http`)
}

