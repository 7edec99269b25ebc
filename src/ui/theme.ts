import type {Governance, Severity} from '../discovery/types.js'

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'magenta',
  high: 'red',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
}

export const GOVERNANCE_COLOR: Record<Governance, string> = {
  governed: 'green',
  approved: 'cyan',
  shadow: 'yellow',
}
