import {describe, expect, it} from 'vitest'

import {DEFAULT_SETTINGS} from '../../../src/policy/index.js'
import {decodeText, type JsonRpcMessage} from '../../../src/proxy/jsonrpc.js'
import type {PinStore} from '../../../src/proxy/pins.js'
import {ProxySession} from '../../../src/proxy/session.js'
import type {Transport} from '../../../src/proxy/transport.js'

function memoryTransport(sent: JsonRpcMessage[]): Transport {
  return {start: async () => {}, close: async () => {}, send: (message) => void sent.push(message)}
}

describe('a decision that throws', () => {
  it('answers the request with an error, forwards nothing, and keeps the session alive', async () => {
    const toClient: JsonRpcMessage[] = []
    const toServer: JsonRpcMessage[] = []
    const client = memoryTransport(toClient)
    const upstream = memoryTransport(toServer)
    const logged: string[] = []
    const session = new ProxySession({
      agent: 'a',
      server: 's',
      client,
      upstream,
      policy: {
        decide: () => {
          throw new Error('engine exploded')
        },
        visible: () => true,
        settings: () => DEFAULT_SETTINGS,
        killed: () => undefined,
      },
      pins: {inspect: () => new Map()} as unknown as PinStore,
      transport: 'pipe',
      log: (message) => logged.push(message),
      askCli: async () => ({outcome: 'denied', approver: 'x', channel: 'cli'}),
    })
    await session.start()
    const fromClient = (text: string) => client.ondecoded?.(decodeText(text))
    const fromServer = (text: string) => upstream.ondecoded?.(decodeText(text))
    fromClient('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}')
    fromServer(`{"jsonrpc":"2.0","id":${(toServer[0] as {id: number}).id},"result":{"protocolVersion":"2025-06-18","capabilities":{}}}`)
    fromClient('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"t","arguments":{}}}')
    // The first call learns the tools; answer that, then the decision runs and throws.
    fromServer(`{"jsonrpc":"2.0","id":${(toServer[1] as {id: number}).id},"result":{"tools":[{"name":"t","inputSchema":{"type":"object"}}]}}`)
    await new Promise((resolve) => setImmediate(resolve))

    expect(toClient.find((m) => (m as {id?: unknown}).id === 2)).toMatchObject({error: {code: -32_603}})
    expect(toServer.some((m) => (m as {method?: string}).method === 'tools/call')).toBe(false)
    expect(logged.join('\n')).toContain('engine exploded')
    fromClient('{"jsonrpc":"2.0","id":3,"method":"ping"}')
    expect(toServer.at(-1)).toMatchObject({method: 'ping'})
  })
})
