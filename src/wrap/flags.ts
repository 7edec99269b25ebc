import {Flags} from '@oclif/core'

/** The selectors wrap, unwrap and status share. */
export const selectorFlags = {
  client: Flags.string({description: 'Every config of this client on the machine (repeatable; with FILE: read FILE as this client).', multiple: true}),
  all: Flags.boolean({description: 'Every MCP client config agentgov discover finds on this machine.', default: false}),
  platform: Flags.string({description: 'Path conventions to scan with (default: this OS; also AGENTGOV_PLATFORM).', options: ['linux', 'darwin', 'win32'], hidden: true}),
}

export const changeFlags = {
  'dry-run': Flags.boolean({description: 'Print a unified diff of what would change, and change nothing.', default: false}),
}
