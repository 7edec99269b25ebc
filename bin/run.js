#!/usr/bin/env node
// `agentgov proxy` starts on every MCP server launch: it skips the CLI framework when it can
// (dist/src/proxy/fast-start.js) and falls back to the full CLI for help and anything unusual.
if (process.argv[2] === 'proxy') {
  const {fastStart} = await import('../dist/src/proxy/fast-start.js')
  // Let stdout drain first: pipes are asynchronous on macOS and the last answers must arrive.
  if (await fastStart(process.argv.slice(3))) process.stdout.write('', () => process.exit())
  else await startCli()
} else {
  await startCli()
}

async function startCli() {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
