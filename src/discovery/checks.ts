import type {ServerEntry} from '../clients/types.js'
import {detectSecret} from '../detect/secrets.js'
import type {Host} from '../host.js'
import {makeFinding} from './rules.js'
import type {Finding, ServerRecord} from './types.js'

interface ServerContext {
  entry: ServerEntry
  record: ServerRecord
  host: Host
}

type ServerCheck = (context: ServerContext) => Finding[]

function at(record: ServerRecord): {file: string; line?: number; subject: string} {
  return {file: record.file, line: record.line, subject: record.id}
}

const secrets: ServerCheck = ({entry, record}) => {
  const places: string[] = []
  for (const [name, value] of Object.entries(entry.env ?? {})) {
    const hit = detectSecret(value, name)
    if (hit) places.push(`env ${name} (${hit.kind}: ${hit.redacted})`)
  }

  for (const [name, value] of Object.entries(entry.headers ?? {})) {
    const hit = detectSecret(value, name)
    if (hit) places.push(`header ${name} (${hit.kind}: ${hit.redacted})`)
  }

  for (const [index, value] of (entry.args ?? []).entries()) {
    // A flag's value is judged by the flag's name: `--api-key abc123…`.
    const previous = entry.args?.[index - 1]
    const flagName = previous?.startsWith('-') ? previous.replace(/^-+/, '') : undefined
    const hit = detectSecret(value, flagName)
    if (hit) places.push(`argument ${index + 1} (${hit.kind}: ${hit.redacted})`)
  }

  if (entry.url) {
    const hit = detectSecret(entry.url)
    if (hit) places.push(`url (${hit.kind}: ${hit.redacted})`)
  }

  if (places.length === 0) return []
  // Committed to a repository, a secret is exposed to everyone who can read it.
  const severity = record.scope === 'project' ? 'critical' : undefined
  return [
    makeFinding('secret-in-config', {
      ...at(record),
      severity,
      message: `Server "${record.name}" holds a literal secret in ${places.join(', ')}.`,
    }),
  ]
}

const unpinned: ServerCheck = ({record}) => {
  const pkg = record.package
  if (!pkg || pkg.pinned || pkg.ecosystem === 'local' || pkg.ecosystem === 'unknown') return []
  return [
    makeFinding('unpinned-package', {
      ...at(record),
      message: `Server "${record.name}" runs ${pkg.ecosystem} package ${pkg.name}${pkg.version ? `@${pkg.version}` : ''} without an exact version.`,
    }),
  ]
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0)$/i

const plainHttp: ServerCheck = ({entry, record}) => {
  if (!entry.url) return []
  let parsed: URL
  try {
    parsed = new URL(entry.url.replaceAll(/\$\{[^}]*\}/g, 'x'))
  } catch {
    return []
  }

  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'ws:') || LOOPBACK.test(parsed.hostname)) return []
  return [makeFinding('plain-http-remote', {...at(record), message: `Server "${record.name}" is reached at ${record.url} without TLS.`})]
}

const autoApproved: ServerCheck = ({record}) => {
  const tools = record.autoApprove ?? []
  if (tools.length === 0) return []
  const everything = tools.includes('*')
  return [
    makeFinding('auto-approved-tools', {
      ...at(record),
      severity: everything ? 'high' : undefined,
      message: everything
        ? `Every tool of server "${record.name}" runs without asking.`
        : `Server "${record.name}" runs ${tools.length} tool(s) without asking: ${tools.join(', ')}.`,
    }),
  ]
}

const broadRoot: ServerCheck = ({entry, record, host}) => {
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
      ...at(record),
      message: `Server "${record.name}" is given ${broad.map((b) => `"${b}"`).join(', ')} as a root.`,
    }),
  ]
}

const shadow: ServerCheck = ({record}) => {
  if (record.governance !== 'shadow') return []
  return [
    makeFinding('shadow-server', {
      ...at(record),
      message: `Server "${record.name}" (${record.client}) is not launched through agentgov and is not in the approved inventory.`,
    }),
  ]
}

export const SERVER_CHECKS: readonly ServerCheck[] = [secrets, unpinned, plainHttp, autoApproved, broadRoot, shadow]

export function checkServer(context: ServerContext): Finding[] {
  return SERVER_CHECKS.flatMap((check) => check(context))
}
