import type {Finding, Severity} from './types.js'

export interface RuleMeta {
  severity: Severity
  /** The severity some of its findings are raised to (a secret committed to a repository is critical). */
  raisedTo?: Severity
  title: string
  fix: string
  /** OWASP Top 10 for Agentic Applications (2026) ids. */
  asi: string[]
  /** OWASP MCP Top 10 ids. */
  mcp: string[]
}

/**
 * Every finding discovery can report, as data: one row per rule. The checks that raise them live in
 * checks.ts; the SARIF output turns these rows into its rule table.
 */
export const RULES = {
  'secret-in-config': {
    severity: 'high',
    raisedTo: 'critical',
    title: 'Literal secret in an MCP server config',
    fix: 'Reference the secret through the environment (for example ${env:NAME}) or the client\'s secret input, and rotate the exposed value.',
    asi: ['ASI03'],
    mcp: ['MCP01'],
  },
  'secret-in-process': {
    severity: 'high',
    title: 'Secret in a running process\'s arguments',
    fix: 'Pass the secret through the environment instead of the command line, where every local user can read it, and rotate it.',
    asi: ['ASI03'],
    mcp: ['MCP01'],
  },
  'provider-key-in-env-file': {
    severity: 'medium',
    title: 'Model-provider key in a .env file',
    fix: 'Keep .env files out of version control (check .gitignore) or load the key from a secret manager; rotate it if it was ever committed.',
    asi: ['ASI03'],
    mcp: ['MCP01'],
  },
  'unpinned-package': {
    severity: 'medium',
    title: 'MCP server package is not pinned to a version',
    fix: 'Pin an exact version (npx -y pkg@1.2.3, uvx pkg==1.2.3, image@sha256:…) so a new release cannot change the server under you.',
    asi: ['ASI04'],
    mcp: ['MCP04'],
  },
  'plain-http-remote': {
    severity: 'high',
    title: 'Remote MCP server over plain HTTP',
    fix: 'Use the server\'s https:// endpoint; plain HTTP exposes tool calls and credentials on the network.',
    asi: ['ASI07'],
    mcp: ['MCP07'],
  },
  'auto-approved-tools': {
    severity: 'medium',
    raisedTo: 'high',
    title: 'Tools run without asking',
    fix: 'Remove the auto-approve list (autoApprove, alwaysAllow, trust) and decide these calls in an agentgov policy, with human approval for writes.',
    asi: ['ASI02', 'ASI09'],
    mcp: ['MCP02'],
  },
  'broad-filesystem-root': {
    severity: 'high',
    title: 'Server is given the whole filesystem or home directory',
    fix: 'Give the server only the project directories it needs.',
    asi: ['ASI02', 'ASI03'],
    mcp: ['MCP02'],
  },
  'admin-allowlist': {
    severity: 'medium',
    title: 'Admin allow-list matches literal commands or URLs',
    fix: 'Add the wrapped form (agentgov proxy …) to the allow-list before running agentgov wrap, or the client may silently block wrapped servers.',
    asi: ['ASI10'],
    mcp: ['MCP09'],
  },
  'duplicate-server': {
    severity: 'low',
    title: 'The same server is configured in several places',
    fix: 'Keep one definition where you can, and wrap every copy (agentgov wrap --all) so none escapes the policy.',
    asi: ['ASI04'],
    mcp: ['MCP09'],
  },
  'shadow-server': {
    severity: 'low',
    title: 'Ungoverned MCP server (shadow)',
    fix: 'Route it through the governance proxy with agentgov wrap, or list it in the approved inventory if it is known and accepted.',
    asi: ['ASI10'],
    mcp: ['MCP09'],
  },
  'config-malformed': {
    severity: 'medium',
    title: 'MCP config file cannot be parsed',
    fix: 'Fix the syntax at the line shown; the client probably ignores this file, and discovery cannot see its servers.',
    asi: ['ASI10'],
    mcp: ['MCP09'],
  },
  'config-unreadable': {
    severity: 'medium',
    title: 'MCP config file cannot be read',
    fix: 'Check the file\'s permissions; discovery cannot see the servers it defines.',
    asi: ['ASI10'],
    mcp: ['MCP09'],
  },
  'hidden-instructions': {
    severity: 'high',
    title: 'Hidden characters in an agent instruction file',
    fix: 'Remove the invisible or direction-changing characters; they can hide instructions from a reviewer while the agent still reads them.',
    asi: ['ASI01', 'ASI06'],
    mcp: ['MCP06', 'MCP10'],
  },
  // Not a finding of the inventory: SARIF's record of each framework in each repository, with one
  // location per file that shows it, so code scanning can list where agents are built.
  'agent-framework': {
    severity: 'info',
    title: 'Agent framework in use',
    fix: 'Route the agent\'s MCP servers through agentgov proxy (agentgov wrap) so its tool calls are decided and recorded.',
    asi: ['ASI10'],
    mcp: ['MCP09'],
  },
} as const satisfies Record<string, RuleMeta>

export type RuleId = keyof typeof RULES

/** Each rule is a section of docs/findings.md whose heading is the rule id, so its anchor is the id. */
export const FINDINGS_DOC = 'https://github.com/agentgov/agentgov/blob/main/docs/findings.md'

export function helpUriOf(rule: RuleId): string {
  return `${FINDINGS_DOC}#${rule}`
}

export function makeFinding(
  rule: RuleId,
  details: {message: string; file?: string; line?: number; column?: number; key?: string; subject?: string; severity?: Severity},
): Finding {
  const meta: RuleMeta = RULES[rule]
  const finding: Finding = {
    rule,
    severity: details.severity ?? meta.severity,
    title: meta.title,
    message: details.message,
    fix: meta.fix,
    asi: [...meta.asi],
    mcp: [...meta.mcp],
  }
  if (details.file) finding.file = details.file
  if (details.line) finding.line = details.line
  if (details.line && details.column) finding.column = details.column
  if (details.key) finding.key = details.key
  if (details.subject) finding.subject = details.subject
  return finding
}

const RANK: Record<Severity, number> = {critical: 4, high: 3, medium: 2, low: 1, info: 0}

export function severityRank(severity: Severity): number {
  return RANK[severity]
}
