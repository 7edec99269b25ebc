// The era test servers, driven directly (no proxy): each does what it claims, so the proxy's
// dual-era work can be tested against servers that truly speak 2026-07-28 (see docs/mcp-eras.md).
import {Client as ClientV1} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport as StdioTransportV1} from '@modelcontextprotocol/sdk/client/stdio.js'
import {StreamableHTTPClientTransport as HttpTransportV1} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import {ElicitRequestSchema} from '@modelcontextprotocol/sdk/types.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {connectV2, ERA_SERVER, type EraHttp, firstText, type Json, MODERN, modernMeta, modernRequest, type Negotiation, postModern, rawStdio, startEraHttp} from '../helpers/era.js'
import {eventually} from '../helpers/tree.js'

const accept = () => ({action: 'accept', content: {confirm: true}})
const decline = () => ({action: 'decline'})
const NEGOTIATIONS: Array<[string, Negotiation]> = [
  ['pinned to 2026-07-28', {pin: MODERN}],
  ['in auto mode', 'auto'],
]

describe('the 2.x SDK server hand-wired to StdioServerTransport (how the issue tried it)', () => {
  it('stays legacy even with 2026-07-28 in supportedProtocolVersions: a pinned client fails, auto falls back', async () => {
    const pinned = await connectV2({stdio: 'handwired'}, {negotiation: {pin: MODERN}}).catch((error: unknown) => error)
    expect(String(pinned)).toContain('the server did not offer pinned protocol version 2026-07-28 via server/discover')
    const auto = await connectV2({stdio: 'handwired'}, {negotiation: 'auto'})
    expect(auto.getNegotiatedProtocolVersion()).toBe('2025-11-25')
    await auto.close()
    const raw = rawStdio('handwired')
    expect(await raw.request(modernRequest(1, 'server/discover'))).toMatchObject({error: {code: -32601, message: 'Method not found'}})
    raw.close()
  })
})

describe.each(['stdio', 'http'] as const)('the modern era over %s with the real 2.x client', (transport) => {
  let http: EraHttp | undefined
  beforeAll(async () => {
    if (transport === 'http') http = await startEraHttp('dual')
  })
  afterAll(() => http?.close())
  const target = () => (http ? {url: http.url} : {stdio: 'dual' as const})

  it.each(NEGOTIATIONS)('negotiates 2026-07-28 %s and the server reads clientInfo and capabilities from each request', async (_label, negotiation) => {
    const client = await connectV2(target(), {negotiation, elicit: accept})
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN)
    expect(client.getProtocolEra()).toBe('modern')
    expect(JSON.parse(firstText(await client.callTool({name: 'whoami', arguments: {}})))).toEqual({
      era: 'modern',
      protocolVersion: MODERN,
      clientInfo: {name: 'era-e2e', version: '2.0.0'},
      clientCapabilities: {elicitation: {form: {}}},
    })
    await client.close()
  })

  it('asks by MRTR: the client answers the InputRequiredResult and the retry completes (accepted and declined)', async () => {
    const asked: Json[] = []
    const yes = await connectV2(target(), {negotiation: {pin: MODERN}, elicit: (params) => (asked.push(params), accept())})
    expect(firstText(await yes.callTool({name: 'confirm_delete', arguments: {path: '/tmp/a'}}))).toBe('deleted /tmp/a')
    expect(asked).toEqual([expect.objectContaining({mode: 'form', message: 'Delete /tmp/a?'})])
    await yes.close()
    const no = await connectV2(target(), {negotiation: {pin: MODERN}, elicit: decline})
    expect(firstText(await no.callTool({name: 'confirm_delete', arguments: {path: '/tmp/b'}}))).toBe('kept /tmp/b (decline)')
    await no.close()
  })

  it('tells a listening client the tool list changed (subscriptions/listen)', async () => {
    const seen: string[][] = []
    const client = await connectV2(target(), {negotiation: {pin: MODERN}, onToolsChanged: (names) => seen.push(names)})
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('late_tool')
    expect(firstText(await client.callTool({name: 'add_tool', arguments: {}}))).toBe('late_tool added')
    await eventually(() => seen, (lists) => lists.some((names) => names.includes('late_tool')), 5000)
    await client.close()
  })
})

describe('the modern wire on stdio, raw', () => {
  it('answers server/discover and lists with resultType and cache hints, and refuses an unknown version with -32022', async () => {
    const raw = rawStdio('dual')
    expect(await raw.request(modernRequest(1, 'tools/list', {}, modernMeta('2099-01-01')))).toMatchObject({
      error: {code: -32022, data: {supported: [MODERN], requested: '2099-01-01'}},
    })
    expect(await raw.request(modernRequest(2, 'server/discover'))).toMatchObject({
      result: {supportedVersions: [MODERN], capabilities: {tools: {listChanged: true}}, resultType: 'complete', _meta: {'io.modelcontextprotocol/serverInfo': {name: 'era-server'}}},
    })
    expect(await raw.request(modernRequest(3, 'tools/list'))).toMatchObject({result: {resultType: 'complete', ttlMs: 60_000, cacheScope: 'public'}})
    // Removed in 2026-07-28, and a connection opened modern stays modern.
    expect(await raw.request(modernRequest(4, 'ping'))).toMatchObject({error: {code: -32601}})
    expect(await raw.request({jsonrpc: '2.0', id: 5, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'x', version: '1'}}})).toMatchObject({
      error: {code: -32022},
    })
    raw.close()
  })

  it('seals its requestState: the right retry completes, an altered or expired one is refused, and a replay is NOT refused by the SDK', async () => {
    const raw = rawStdio('dual', {ERA_STATE_TTL_SECONDS: '2'})
    const call = (id: number, path: string, extra: Json = {}) => modernRequest(id, 'tools/call', {name: 'confirm_delete', arguments: {path}, ...extra}, modernMeta(MODERN, {elicitation: {form: {}}}))
    const asked = (await raw.request(call(1, '/a'))).result as Json
    expect(asked).toMatchObject({resultType: 'input_required', inputRequests: {confirm: {method: 'elicitation/create', params: {mode: 'form', message: 'Delete /a?'}}}})
    const state = asked.requestState as string
    const answers = {inputResponses: {confirm: {action: 'accept', content: {confirm: true}}}}
    expect(await raw.request(call(2, '/a', {...answers, requestState: state}))).toMatchObject({result: {resultType: 'complete', content: [{text: 'deleted /a'}]}})
    // The SDK codec checks integrity and expiry only: single use is for whoever relies on it (the proxy).
    expect(await raw.request(call(3, '/a', {...answers, requestState: state}))).toMatchObject({result: {content: [{text: 'deleted /a'}]}})
    const signature = state.slice(state.lastIndexOf('.') + 1)
    const altered = state.slice(0, state.lastIndexOf('.') + 1) + (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)
    expect(await raw.request(call(4, '/a', {...answers, requestState: altered}))).toMatchObject({error: {code: -32602, message: 'Invalid or expired requestState'}})
    expect(await raw.request(call(5, '/b', {...answers, requestState: state}))).toMatchObject({result: {isError: true, content: [{text: 'requestState was minted for /a, not /b'}]}})
    await new Promise((resolve) => setTimeout(resolve, 3100))
    expect(await raw.request(call(6, '/a', {...answers, requestState: state}))).toMatchObject({error: {code: -32602, message: 'Invalid or expired requestState'}})
    raw.close()
  })

  it('in modern-only mode refuses initialize with -32022 naming 2026-07-28, and still serves a modern request', async () => {
    const raw = rawStdio('modern')
    expect(await raw.request({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'x', version: '1'}}})).toMatchObject({
      error: {code: -32022, data: {supported: [MODERN], requested: '2025-11-25'}},
    })
    expect(await raw.request(modernRequest(2, 'tools/call', {name: 'echo', arguments: {text: 'still here'}}))).toMatchObject({result: {content: [{text: 'still here'}], resultType: 'complete'}})
    raw.close()
  })
})

describe('the modern wire on streamable HTTP, raw', () => {
  let dual: EraHttp
  let modern: EraHttp
  beforeAll(async () => {
    ;[dual, modern] = await Promise.all([startEraHttp('dual'), startEraHttp('modern')])
  })
  afterAll(() => {
    dual?.close()
    modern?.close()
  })

  it('serves a modern POST whose headers agree with the body, with no session id', async () => {
    const response = await fetch(dual.url, {
      method: 'POST',
      headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'echo'},
      body: JSON.stringify(modernRequest(1, 'tools/call', {name: 'echo', arguments: {text: 'hi'}})),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('mcp-session-id')).toBeNull()
    expect(await response.json()).toMatchObject({result: {content: [{text: 'hi'}], resultType: 'complete'}})
    expect(await postModern(dual.url, modernRequest(2, 'tools/list'))).toMatchObject({status: 200, body: {result: {ttlMs: 60_000, cacheScope: 'public'}}})
  })

  it.each([
    ['Mcp-Method names another method', {'mcp-method': 'tools/list'}, 'the body names method tools/call but the Mcp-Method header names tools/list'],
    ['Mcp-Name names another tool', {'mcp-name': 'whoami'}, 'the body carries params.name="echo" but the Mcp-Name header names "whoami"'],
    ['Mcp-Name is missing', {'mcp-name': undefined}, 'the required Mcp-Name header is absent'],
    ['MCP-Protocol-Version disagrees', {'mcp-protocol-version': '2025-11-25'}, 'the MCP-Protocol-Version header names 2025-11-25'],
    ['MCP-Protocol-Version is missing', {'mcp-protocol-version': undefined}, 'the required MCP-Protocol-Version header is absent'],
  ])('answers 400 HeaderMismatch (-32020) when %s', async (_label, headers, message) => {
    const answer = await postModern(dual.url, modernRequest(3, 'tools/call', {name: 'echo', arguments: {text: 'x'}}), headers)
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({error: {code: -32020}})
    expect((answer.body.error as {message: string}).message).toContain(message)
  })

  it('in modern-only mode refuses a 2025-era client (-32022) and serves a modern one', async () => {
    const legacy = await postModern(
      modern.url,
      {jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'x', version: '1'}}},
      {'mcp-protocol-version': undefined, 'mcp-method': undefined},
    )
    expect(legacy.body).toMatchObject({error: {code: -32022, data: {supported: [MODERN]}}})
    const client = await connectV2({url: modern.url}, {negotiation: 'auto'})
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN)
    await client.close()
  })
})

describe('the dual-era server meets a 1.x SDK (legacy) client', () => {
  let http: EraHttp
  beforeAll(async () => {
    http = await startEraHttp('dual')
  })
  afterAll(() => http?.close())

  it('on stdio: the handshake, a call, and the MRTR tool served by a real elicitation/create', async () => {
    const client = new ClientV1({name: 'legacy-e2e', version: '1.0.0'}, {capabilities: {elicitation: {}}})
    const asked: string[] = []
    client.setRequestHandler(ElicitRequestSchema, async (request) => (asked.push(String(request.params.message)), {action: 'accept', content: {confirm: true}}))
    await client.connect(new StdioTransportV1({command: process.execPath, args: [ERA_SERVER, '--transport', 'stdio', '--era', 'dual']}))
    expect(JSON.parse(firstText(await client.callTool({name: 'whoami', arguments: {}})))).toMatchObject({era: 'legacy', clientInfo: {name: 'legacy-e2e'}})
    expect(firstText(await client.callTool({name: 'confirm_delete', arguments: {path: '/x'}}))).toBe('deleted /x')
    expect(asked).toEqual(['Delete /x?'])
    await client.close()
  })

  it('on HTTP: stateless legacy serving answers calls, and refuses the MRTR tool (no way back to the client)', async () => {
    const client = new ClientV1({name: 'legacy-e2e', version: '1.0.0'}, {capabilities: {elicitation: {}}})
    await client.connect(new HttpTransportV1(new URL(http.url)))
    expect(firstText(await client.callTool({name: 'echo', arguments: {text: 'legacy over http'}}))).toBe('legacy over http')
    const refused = await client.callTool({name: 'confirm_delete', arguments: {path: '/x'}})
    expect(refused.isError).toBe(true)
    expect(firstText(refused)).toContain('per-request legacy serving cannot receive server-to-client requests')
    await client.close()
  })

  it('a 1.x client cannot connect to the modern-only server', async () => {
    const client = new ClientV1({name: 'legacy-e2e', version: '1.0.0'})
    const failed = await client.connect(new StdioTransportV1({command: process.execPath, args: [ERA_SERVER, '--transport', 'stdio', '--era', 'modern']})).catch((error: unknown) => error)
    expect(String(failed)).toContain('Unsupported protocol version')
    await client.close()
  })
})
