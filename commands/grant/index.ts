import {hostname, userInfo} from 'node:os'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {formatDuration, parseDuration} from '../../src/policy/duration.js'
import {addGrant} from '../../src/policy/grants.js'
import type {Grant} from '../../src/policy/types.js'
import {assertHuman} from '../../src/human-guard.js'
import {ensureStateDir} from '../../src/state.js'

const MAX_GRANT_SEC = 7 * 86_400

export default class GrantCreate extends BaseCommand<typeof GrantCreate> {
  static override summary = 'Let an agent use tools that need human approval, without asking, for a limited time.'
  static override description = [
    "A grant lifts human_approval into allow for the agent's matching tools until it expires; it never lifts a deny. Running proxies pick it up within a second. Grants are made by a person: the command refuses to run without a terminal, or when started by an agent client.",
    exitCodesHelp({0: 'granted', 2: 'a bad flag value (duration, missing terminal)', 4: 'the state directory cannot be written'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Let claude-code create GitHub issues and PRs for 30 minutes', command: '<%= config.bin %> <%= command.id %> --agent claude-code --tools "github.create_*" --for 30m'},
    {description: 'Several tool patterns, with a note', command: '<%= config.bin %> <%= command.id %> --agent cursor --tools filesystem.write_file,filesystem.edit_file --for 2h --reason "refactoring session"'},
    {description: 'List and revoke', command: '<%= config.bin %> grant list\n<%= config.bin %> grant revoke g_1a2b3c4d'},
  ]

  static override flags = {
    agent: Flags.string({description: 'The agent id (or glob) the grant is for.', required: true}),
    tools: Flags.string({description: 'Tool patterns, qualified by server (comma-separated or repeated): github.create_*.', required: true, multiple: true}),
    for: Flags.string({description: 'How long: 30m, 2h, 1d (at most 7d).', required: true}),
    reason: Flags.string({description: 'Why, kept with the grant.'}),
  }

  public async run(): Promise<Grant> {
    const seconds = parseDuration(this.flags.for)
    if (seconds === undefined || seconds <= 0) throw usage(`--for ${this.flags.for} is not a duration: write 30m, 2h or 1d.`)
    if (seconds > MAX_GRANT_SEC) throw usage(`--for ${this.flags.for} is longer than 7 days; grants are meant to be short.`)
    const tools = this.flags.tools.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean)
    if (tools.length === 0) throw usage('--tools names no tool pattern.')
    assertHuman('agentgov grant')
    const createdBy = `${safeUser()}@${hostname()}`
    const grant = addGrant(ensureStateDir(), {agent: this.flags.agent, tools, durationSec: seconds, createdBy, reason: this.flags.reason}, Date.now())
    if (this.jsonEnabled()) return grant
    await this.renderView('message', {
        lines: [
          {text: `Granted ${grant.id}: ${grant.agent} may use ${tools.join(', ')} without approval for ${formatDuration(seconds)} (until ${new Date(grant.expiresAt).toISOString()}).`, color: 'green'},
          {text: `Deny rules still apply. Revoke with: agentgov grant revoke ${grant.id}`, dim: true},
        ],
    })
    return grant
  }
}

function usage(message: string): AgentgovError {
  return new AgentgovError(message, {exit: ExitCode.usage, hint: "Run 'agentgov grant --help' for usage."})
}

function safeUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? 'unknown'
  }
}
