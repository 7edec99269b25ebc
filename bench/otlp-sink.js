#!/usr/bin/env node
// A minimal OTLP/HTTP sink for benchmarks: accepts every export with 200 and counts bytes. A real
// collector runs elsewhere; a decoding receiver on the same two cores would bill its CPU to the
// proxy. (Tests use the real @elastic/mockotlpserver.) Prints its URL on the first stdout line.
import {createServer} from 'node:http'

let requests = 0
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    requests++
    res.writeHead(200, {'content-type': 'application/json'})
    res.end('{}')
  })
})
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`))
process.on('SIGTERM', () => {
  process.stderr.write(`otlp-sink: ${requests} export requests\n`)
  process.exit(0)
})
