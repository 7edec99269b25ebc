#!/usr/bin/env node
// agentgov's own conformance test server: the tools, resources and prompts the server scenarios of
// @modelcontextprotocol/conformance 0.1.16 expect (each scenario's description names them), on the
// 1.x SDK's low-level Server over sessionful streamable HTTP with resumable SSE streams.
//
//   node test/conformance/server.mjs [--port N]        (default: PORT or 0, on 127.0.0.1)
//
// Prints `conformance server listening on http://127.0.0.1:PORT/mcp` to stderr when ready.
import {randomUUID} from 'node:crypto'
import {createServer} from 'node:http'

import {Server} from '@modelcontextprotocol/sdk/server/index.js'
import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  isInitializeRequest,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'

// A 1x1 red PNG and a 44-byte silent WAV header with one sample: the smallest valid media.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
const WAV = Buffer.concat([
  Buffer.from('RIFF'),
  u32(38),
  Buffer.from('WAVEfmt '),
  u32(16),
  u16(1),
  u16(1),
  u32(8000),
  u32(16000),
  u16(2),
  u16(16),
  Buffer.from('data'),
  u32(2),
  u16(0),
]).toString('base64')

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const text = (value) => ({type: 'text', text: value})
const noArgs = {type: 'object', properties: {}}
const stringArg = (name, description) => ({type: 'object', properties: {[name]: {type: 'string', description}}, required: [name]})

/** Tools as data: name → {description, inputSchema, run(args, extra)}. */
const TOOLS = {
  test_simple_text: {description: 'Returns simple text.', run: async () => ({content: [text('This is a simple text response for testing.')]})},
  test_image_content: {description: 'Returns a PNG image.', run: async () => ({content: [{type: 'image', data: PNG, mimeType: 'image/png'}]})},
  test_audio_content: {description: 'Returns a WAV sound.', run: async () => ({content: [{type: 'audio', data: WAV, mimeType: 'audio/wav'}]})},
  test_embedded_resource: {
    description: 'Returns an embedded resource.',
    run: async () => ({content: [{type: 'resource', resource: {uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.'}}]}),
  },
  test_multiple_content_types: {
    description: 'Returns text, an image and a resource.',
    run: async () => ({
      content: [
        text('Multiple content types test:'),
        {type: 'image', data: PNG, mimeType: 'image/png'},
        {type: 'resource', resource: {uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({test: 'data', value: 123})}},
      ],
    }),
  },
  test_tool_with_logging: {
    description: 'Logs three messages while it runs.',
    run: async (_args, extra) => {
      for (const [index, data] of ['Tool execution started', 'Tool processing data', 'Tool execution completed'].entries()) {
        if (index > 0) await sleep(50)
        await extra.sendNotification({method: 'notifications/message', params: {level: 'info', data}})
      }
      return {content: [text('Tool with logging executed successfully')]}
    },
  },
  test_tool_with_progress: {
    description: 'Reports progress 0, 50 and 100 of 100.',
    run: async (_args, extra) => {
      const progressToken = extra._meta?.progressToken
      for (const [index, progress] of [0, 50, 100].entries()) {
        if (index > 0) await sleep(50)
        if (progressToken !== undefined) await extra.sendNotification({method: 'notifications/progress', params: {progressToken, progress, total: 100}})
      }
      return {content: [text('Tool with progress executed successfully')]}
    },
  },
  test_error_handling: {description: 'Always fails.', run: async () => ({isError: true, content: [text('This tool intentionally returns an error for testing')]})},
  test_sampling: {
    description: 'Asks the client for an LLM completion.',
    inputSchema: stringArg('prompt', 'The prompt to send to the LLM'),
    run: async ({prompt}, extra) => {
      const result = await extra.sendRequest(
        {method: 'sampling/createMessage', params: {messages: [{role: 'user', content: text(String(prompt))}], maxTokens: 100}},
        CreateMessageResultSchema,
      )
      const reply = result.content?.type === 'text' ? result.content.text : JSON.stringify(result.content)
      return {content: [text(`LLM response: ${reply}`)]}
    },
  },
  test_elicitation: {
    description: 'Asks the user for a username and an email.',
    inputSchema: stringArg('message', 'The message to show the user'),
    run: async ({message}, extra) =>
      elicit(extra, String(message), {
        type: 'object',
        properties: {username: {type: 'string', description: "User's response"}, email: {type: 'string', description: "User's email address"}},
        required: ['username', 'email'],
      }, 'User response'),
  },
  test_elicitation_sep1034_defaults: {
    description: 'Elicitation with a default for every primitive type.',
    run: async (_args, extra) =>
      elicit(extra, 'Please review these defaults', {
        type: 'object',
        properties: {
          name: {type: 'string', default: 'John Doe'},
          age: {type: 'integer', default: 30},
          score: {type: 'number', default: 95.5},
          status: {type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active'},
          verified: {type: 'boolean', default: true},
        },
      }),
  },
  test_elicitation_sep1330_enums: {
    description: 'Elicitation with all five enum shapes.',
    run: async (_args, extra) =>
      elicit(extra, 'Please pick', {
        type: 'object',
        properties: {
          untitledSingle: {type: 'string', enum: ['option1', 'option2', 'option3']},
          titledSingle: {type: 'string', oneOf: titled('value', ['First Option', 'Second Option', 'Third Option'])},
          legacyEnum: {type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three']},
          untitledMulti: {type: 'array', items: {type: 'string', enum: ['option1', 'option2', 'option3']}},
          titledMulti: {type: 'array', items: {anyOf: titled('value', ['First Choice', 'Second Choice', 'Third Choice'])}},
        },
      }),
  },
  json_schema_2020_12_tool: {
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {address: {type: 'object', properties: {street: {type: 'string'}, city: {type: 'string'}}}},
      properties: {name: {type: 'string'}, address: {$ref: '#/$defs/address'}},
      additionalProperties: false,
    },
    run: async (args) => ({content: [text(`Received: ${JSON.stringify(args)}`)]}),
  },
  test_reconnection: {
    description: 'Closes its SSE stream mid-call; the result comes on the resumed stream.',
    run: async (_args, extra) => {
      await sleep(50)
      extra.closeSSEStream?.()
      await sleep(200)
      return {content: [text('Reconnection test completed')]}
    },
  },
}

const titled = (prefix, titles) => titles.map((title, index) => ({const: `${prefix}${index + 1}`, title}))

async function elicit(extra, message, requestedSchema, label = 'Elicitation completed') {
  const result = await extra.sendRequest({method: 'elicitation/create', params: {message, requestedSchema}}, ElicitResultSchema)
  return {content: [text(`${label}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`)]}
}

const RESOURCES = {
  'test://static-text': {name: 'static-text', description: 'A static text resource', mimeType: 'text/plain', text: 'This is the content of the static text resource.'},
  'test://static-binary': {name: 'static-binary', description: 'A static PNG image', mimeType: 'image/png', blob: PNG},
  'test://watched-resource': {name: 'watched-resource', description: 'A resource clients can subscribe to', mimeType: 'text/plain', text: 'Watched resource content'},
}
const TEMPLATE = {uriTemplate: 'test://template/{id}/data', name: 'template-data', description: 'Data for an id', mimeType: 'application/json'}

const PROMPTS = {
  test_simple_prompt: {description: 'A simple prompt without arguments', messages: () => [{role: 'user', content: text('This is a simple prompt for testing.')}]},
  test_prompt_with_arguments: {
    description: 'A prompt with two arguments',
    arguments: [
      {name: 'arg1', description: 'First test argument', required: true},
      {name: 'arg2', description: 'Second test argument', required: true},
    ],
    messages: ({arg1, arg2}) => [{role: 'user', content: text(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`)}],
  },
  test_prompt_with_embedded_resource: {
    description: 'A prompt that embeds a resource',
    arguments: [{name: 'resourceUri', description: 'URI of the resource to embed', required: true}],
    messages: ({resourceUri}) => [
      {role: 'user', content: {type: 'resource', resource: {uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.'}}},
      {role: 'user', content: text('Please process the embedded resource above.')},
    ],
  },
  test_prompt_with_image: {
    description: 'A prompt with an image',
    messages: () => [
      {role: 'user', content: {type: 'image', data: PNG, mimeType: 'image/png'}},
      {role: 'user', content: text('Please analyze the image above.')},
    ],
  },
}

function buildServer() {
  const server = new Server(
    {name: 'agentgov-conformance', version: '1.0.0'},
    {capabilities: {tools: {listChanged: true}, resources: {subscribe: true, listChanged: true}, prompts: {listChanged: true}, logging: {}, completions: {}}},
  )
  const subscriptions = new Set()
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: Object.entries(TOOLS).map(([name, tool]) => ({name, description: tool.description, inputSchema: tool.inputSchema ?? noArgs})),
  }))
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = TOOLS[request.params.name]
    if (!tool) return {isError: true, content: [text(`Unknown tool: ${request.params.name}`)]}
    try {
      return await tool.run(request.params.arguments ?? {}, extra)
    } catch (error) {
      return {isError: true, content: [text(`${request.params.name} failed: ${error instanceof Error ? error.message : String(error)}`)]}
    }
  })
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: Object.entries(RESOURCES).map(([uri, {name, description, mimeType}]) => ({uri, name, description, mimeType})),
  }))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({resourceTemplates: [TEMPLATE]}))
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const {uri} = request.params
    const templated = /^test:\/\/template\/([^/]+)\/data$/.exec(uri)
    if (templated) return {contents: [{uri, mimeType: 'application/json', text: JSON.stringify({id: templated[1], templateTest: true, data: `Data for ID: ${templated[1]}`})}]}
    const resource = RESOURCES[uri]
    if (!resource) throw Object.assign(new Error(`Resource not found: ${uri}`), {code: -32002})
    return {contents: [{uri, mimeType: resource.mimeType, ...(resource.blob ? {blob: resource.blob} : {text: resource.text})}]}
  })
  server.setRequestHandler(SubscribeRequestSchema, async (request) => (subscriptions.add(request.params.uri), {}))
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => (subscriptions.delete(request.params.uri), {}))
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: Object.entries(PROMPTS).map(([name, {description, arguments: args}]) => ({name, description, ...(args && {arguments: args})})),
  }))
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const prompt = PROMPTS[request.params.name]
    if (!prompt) throw Object.assign(new Error(`Unknown prompt: ${request.params.name}`), {code: -32602})
    return {description: prompt.description, messages: prompt.messages(request.params.arguments ?? {})}
  })
  server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const candidates = ['hello', 'help', 'world', 'wonder']
    const prefix = request.params.argument.value ?? ''
    const values = candidates.filter((value) => value.startsWith(prefix))
    return {completion: {values, total: values.length, hasMore: false}}
  })
  return server
}

/** A resumable SSE history per stream, so a client that reconnects with Last-Event-ID gets what it missed. */
function memoryEventStore() {
  const events = []
  return {
    async storeEvent(streamId, message) {
      const eventId = `${streamId}::${events.length}`
      events.push({eventId, streamId, message})
      return eventId
    },
    async getStreamIdForEventId(eventId) {
      return events.find((event) => event.eventId === eventId)?.streamId
    },
    async replayEventsAfter(lastEventId, {send}) {
      const at = events.findIndex((event) => event.eventId === lastEventId)
      if (at === -1) return ''
      const {streamId} = events[at]
      for (const event of events.slice(at + 1)) if (event.streamId === streamId) await send(event.eventId, event.message)
      return streamId
    },
  }
}

// DNS rebinding: a localhost server answers only requests that name localhost.
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const hostName = (value) => (value ?? '').replace(/:\d+$/, '').toLowerCase()
function isLocal(req) {
  if (!LOCAL_HOSTS.has(hostName(req.headers.host))) return false
  if (req.headers.origin === undefined) return true
  try {
    return LOCAL_HOSTS.has(new URL(req.headers.origin).hostname.toLowerCase().replace(/^::1$/, '[::1]'))
  } catch {
    return false
  }
}

const sessions = new Map()

async function handle(req, res) {
  if (!isLocal(req)) return reply(res, 403, {jsonrpc: '2.0', id: null, error: {code: -32000, message: 'Forbidden: the Host or Origin is not localhost.'}})
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname !== '/mcp') return reply(res, 404, {jsonrpc: '2.0', id: null, error: {code: -32000, message: 'Not found: the endpoint is /mcp.'}})
  const body = req.method === 'POST' ? await readJson(req) : undefined
  if (body === INVALID) return reply(res, 400, {jsonrpc: '2.0', id: null, error: {code: -32700, message: 'Parse error'}})
  const sessionId = req.headers['mcp-session-id']
  let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined
  if (!transport) {
    if (sessionId !== undefined) return reply(res, 404, {jsonrpc: '2.0', id: null, error: {code: -32001, message: 'Session not found'}})
    if (!isInitializeRequest(body)) return reply(res, 400, {jsonrpc: '2.0', id: null, error: {code: -32000, message: 'Bad Request: no session; start with initialize.'}})
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      eventStore: memoryEventStore(),
      retryInterval: 500,
      onsessioninitialized: (id) => sessions.set(id, transport),
    })
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId)
    await buildServer().connect(transport)
  }
  await transport.handleRequest(req, res, body)
}

const INVALID = Symbol('invalid')
async function readJson(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return INVALID
  }
}

function reply(res, status, body) {
  res.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(body))
}

function u32(value) {
  const buffer = Buffer.alloc(4)
  buffer.writeUInt32LE(value)
  return buffer
}

function u16(value) {
  const buffer = Buffer.alloc(2)
  buffer.writeUInt16LE(value)
  return buffer
}

const portAt = process.argv.indexOf('--port')
const port = Number(portAt === -1 ? (process.env.PORT ?? 0) : process.argv[portAt + 1])
const http = createServer((req, res) => {
  handle(req, res).catch((error) => {
    if (!res.headersSent) reply(res, 500, {jsonrpc: '2.0', id: null, error: {code: -32603, message: `Internal error: ${error instanceof Error ? error.message : String(error)}`}})
    else res.end()
  })
})
http.listen(port, '127.0.0.1', () => {
  process.stderr.write(`conformance server listening on http://127.0.0.1:${http.address().port}/mcp\n`)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => http.close(() => process.exit(0)))
