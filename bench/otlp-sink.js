#!/usr/bin/env node
// The OTLP receiver for benchmarks: the real @elastic/mockotlpserver (as the tests use), in its own
// process so its decoding is not billed to the proxy's event loop, counting what it decoded. Prints
// its OTLP/HTTP URL on the first stdout line, and on SIGTERM what it received on stderr.
import {createRequire} from 'node:module'

const {MockOtlpServer} = createRequire(import.meta.url)('@elastic/mockotlpserver')
let requests = 0
let spans = 0
const server = new MockOtlpServer({
  logLevel: 'error',
  services: ['http'],
  httpHostname: '127.0.0.1',
  httpPort: 0,
  onTrace: (request) => {
    requests++
    for (const rs of request.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += (ss.spans ?? []).length
  },
  onMetrics: () => requests++,
})
await server.start()
process.stdout.write(`${String(server.httpUrl).replace(/\/$/, '')}\n`)
process.on('SIGTERM', () => {
  process.stderr.write(`otlp-sink: ${requests} export requests, ${spans} spans\n`)
  process.exit(0)
})
