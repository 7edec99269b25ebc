import type {ServerEntry} from '../clients/types.js'
import type {ConfigDocument} from '../config/document.js'
import {detectSecret} from '../detect/secrets.js'
import type {Host} from '../host.js'
import {makeFinding} from './rules.js'
import type {Finding, ServerRecord} from './types.js'

interface ServerContext {
  entry: ServerEntry
  record: ServerRecord
  host: Host
  /** The parsed file, to point a finding at the value it is about rather than at the entry. */
  doc?: ConfigDocument
}

type ServerCheck = (context: ServerContext) => Finding[]

/** Where a finding about the entry points: at `value` inside it when the file shows where, else at the entry. */
function at({entry, record, doc}: ServerContext, value?: string): {file: string; line?: number; column?: number; key: string; subject: string} {
  const position = value === undefined ? undefined : doc?.findValue(entry.path, value)
  return {file: record.file, line: position?.line ?? record.line, column: position?.column, key: entry.path.join('.'), subject: record.id}
}

const secrets: ServerCheck = (context) => {
  const {entry, record} = context
  const places: string[] = []
  let first: string | undefined
  const found = (place: string, value: string) => {
    places.push(place)
    first ??= value
  }

  for (const [name, value] of Object.entries(entry.env ?? {})) {
    const hit = detectSecret(value, name)
    if (hit) found(`env ${name} (${hit.kind}: ${hit.redacted})`, value)
  }

  for (const [name, value] of Object.entries(entry.headers ?? {})) {
    const hit = detectSecret(value, name)
    if (hit) found(`header ${name} (${hit.kind}: ${hit.redacted})`, value)
  }

  for (const [index, value] of (entry.args ?? []).entries()) {
    // A flag's value is judged by the flag's name: `--api-key abc123…`.
    const previous = entry.args?.[index - 1]
    const flagName = previous?.startsWith('-') ? previous.replace(/^-+/, '') : undefined
    const hit = detectSecret(value, flagName)
    if (hit) found(`argument ${index + 1} (${hit.kind}: ${hit.redacted})`, value)
  }

  if (entry.url) {
    const hit = detectSecret(entry.url)
    if (hit) found(`url (${hit.kind}: ${hit.redacted})`, entry.url)
  }

  if (places.length === 0) return []
  // Committed to a repository, a secret is exposed to everyone who can read it.
  const severity = record.scope === 'project' ? 'critical' : undefined
  return [
    makeFinding('secret-in-config', {
      ...at(context, first),
      severity,
      message: `Server "${record.name}" holds a literal secret in ${places.join(', ')}.`,
    }),
  ]
}

const unpinned: ServerCheck = (context) => {
  const {entry, record} = context
  const pkg = record.package
  if (!pkg || pkg.pinned || pkg.ecosystem === 'local' || pkg.ecosystem === 'unknown') return []
  const launch = [entry.command, ...(entry.args ?? [])].find((part) => part?.includes(pkg.name))
  return [
    makeFinding('unpinned-package', {
      ...at(context, launch),
      message: `Server "${record.name}" runs ${pkg.ecosystem} package ${pkg.name}${pkg.version ? `@${pkg.version}` : ''} without an exact version.`,
    }),
  ]
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0)$/i

const plainHttp: ServerCheck = (context) => {
  const {entry, record} = context
  if (!entry.url) return []
  let parsed: URL
  try {
    parsed = new URL(entry.url.replaceAll(/\$\{[^}]*\}/g, 'x'))
  } catch {
    return []
  }

  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'ws:') || LOOPBACK.test(parsed.hostname)) return []
  return [makeFinding('plain-http-remote', {...at(context, entry.url), message: `Server "${record.name}" is reached at ${record.url} without TLS.`})]
}

const autoApproved: ServerCheck = (context) => {
  const {record} = context
  const tools = record.autoApprove ?? []
  if (tools.length === 0) return []
  const everything = tools.includes('*')
  return [
    makeFinding('auto-approved-tools', {
      // `trust: true` names no tool: the finding then points at the entry.
      ...at(context, tools.find((tool) => tool !== '*') ?? tools[0]),
      severity: everything ? 'high' : undefined,
      message: everything
        ? `Every tool of server "${record.name}" runs without asking.`
        : `Server "${record.name}" runs ${tools.length} tool(s) without asking: ${tools.join(', ')}.`,
    }),
  ]
}

const broadRoot: ServerCheck = (context) => {
  const {entry, record, host} = context
  const home = host.home.replaceAll('\\', '/').replace(/\/+$/, '')
  const broad = (entry.args ?? []).filter((arg) => {
    if (arg.startsWith('-')) return false
    const value = arg.replaceAll('\\', '/').replace(/(.)\/+$/, '$1')
    return (
      value === '/' ||
      /^[a-z]:\/?$/i.test(value) ||
      ['~', '$HOME', '${HOME}', '${userHome}', '${env:HOME}', '%USERPROFILE%', '${env:USERPROFILE}'].includes(value) ||
      value === home
    )
  })
  if (broad.length === 0) return []
  return [
    makeFinding('broad-filesystem-root', {
      ...at(context, broad[0]),
      message: `Server "${record.name}" is given ${broad.map((b) => `"${b}"`).join(', ')} as a root.`,
    }),
  ]
}

const shadow: ServerCheck = (context) => {
  const {record} = context
  if (record.governance !== 'shadow') return []
  return [
    makeFinding('shadow-server', {
      ...at(context),
      message: `Server "${record.name}" (${record.client}) is not launched through agentgov and is not in the approved inventory.`,
    }),
  ]
}

export const SERVER_CHECKS: readonly ServerCheck[] = [secrets, unpinned, plainHttp, autoApproved, broadRoot, shadow]

export function checkServer(context: ServerContext): Finding[] {
  return SERVER_CHECKS.flatMap((check) => check(context))
}
