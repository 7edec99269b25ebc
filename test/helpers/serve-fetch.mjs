/* global AbortController, Headers, Request */
// node:http in front of a web-standard handler such as the 2.x SDK's createMcpHandler (what
// @modelcontextprotocol/node's toNodeHandler does), for the test servers that serve HTTP.

/** Answer one node:http request with `handler.fetch(Request) → Response`. */
export async function serveFetch(handler, req, res) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  const aborted = new AbortController()
  res.on('close', () => aborted.abort())
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value)
  const body = chunks.length > 0 && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined
  const response = await handler.fetch(new Request(`http://${req.headers.host}${req.url}`, {method: req.method, headers, body, signal: aborted.signal}))
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (!response.body) return res.end()
  try {
    for await (const chunk of response.body) res.write(chunk)
  } catch {
    // The client went away mid-stream; nothing left to tell it.
  }
  res.end()
}
