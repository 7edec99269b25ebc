import {existsSync, readFileSync} from 'node:fs'

// The same module runs from src/ (tests) and dist/src/ (the CLI), one or two levels below the package.
const manifest = ['../package.json', '../../package.json']
  .map((relative) => new URL(relative, import.meta.url))
  .find((url) => existsSync(url))

/** agentgov's own version, stamped into inventories, traces and reports so they can be audited. */
export const VERSION: string = manifest
  ? (JSON.parse(readFileSync(manifest, 'utf8')) as {version: string}).version
  : '0.0.0'
