import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../src/base-command.js'
import {exitCodesHelp} from '../src/errors.js'
import {hostFromEnv} from '../src/host.js'
import {policyFile} from '../src/state-layout.js'
import {ensureStateDir, stateDir} from '../src/state.js'
import {changeFlags, selectorFlags} from '../src/wrap/flags.js'
import type {LaunchForm} from '../src/wrap/launch.js'
import {exitCodeOf, runWrap, type WrapReport} from '../src/wrap/run.js'

export default class Wrap extends BaseCommand<typeof Wrap> {
  static override summary = 'Route MCP servers through agentgov proxy by rewriting client configs in place.'
  static override description = [
    "Each server entry is rewritten to launch `<node> <agentgov>/bin/run.js proxy --agent <client> --server <name> -- <original command…>` (docs/proxy-cli.md); a remote entry becomes a stdio entry that runs the proxy with --upstream-url, where the client can run one. Every other key, comment, indentation and line ending stays; a wrapped entry is left alone.",
    "The original file is kept byte for byte in agentgov's state directory (~/.agentgov/wraps) for `agentgov unwrap`. Writes are atomic and locked; a file that changes while agentgov edits it is not written.",
    exitCodesHelp({0: 'done', 2: 'usage error', 3: 'a file is missing, empty, read-only or not valid', 4: 'state directory or lock unavailable', 5: 'a file changed during the edit (nothing written)'}),
  ].join('\n\n')

  static override examples = [
    {description: "Wrap Cursor's user config", command: '<%= config.bin %> <%= command.id %> ~/.cursor/mcp.json'},
    {description: 'See what wrapping every config on this machine would change', command: '<%= config.bin %> <%= command.id %> --all --dry-run'},
    {description: 'Wrap every Claude Code and Codex config under one policy', command: '<%= config.bin %> <%= command.id %> --client claude-code --client codex --policy ~/.agentgov/policy.yaml'},
    {description: 'Wrap a project file, recording decisions under one agent name', command: '<%= config.bin %> <%= command.id %> .vscode/mcp.json --agent ci-copilot --json'},
  ]

  static override strict = false
  static override args = {files: Args.string({description: 'Client config files to wrap.', required: false})}
  static override flags = {
    ...selectorFlags,
    ...changeFlags,
    policy: Flags.string({description: 'Policy file the proxy enforces (written as an absolute path).'}),
    agent: Flags.string({description: "Agent identity for every decision (default: the client's id)."}),
    launch: Flags.string({
      description: 'How entries start agentgov (default: npx for project files a team commits, absolute paths for your own; docs/wrap.md).',
      options: ['npx', 'absolute'],
    }),
  }

  public async run(): Promise<WrapReport | undefined> {
    const host = hostFromEnv(process.env, this.flags.platform)
    const report = await runWrap(host, ensureStateDir(), {
      files: this.positional,
      clients: this.flags.client ?? [],
      all: this.flags.all,
      dryRun: this.flags['dry-run'],
      ...(this.flags.agent && {agent: this.flags.agent}),
      ...(this.flags.policy && {policy: this.flags.policy}),
      ...(this.flags.launch && {launch: this.flags.launch as LaunchForm}),
    })
    process.exitCode = exitCodeOf(report)
    warnWithoutPolicy(this.flags.policy, report)
    if (this.jsonEnabled()) return report
    // Diffs go out verbatim: ink would wrap their long lines and break the patch.
    for (const file of report.files) if (file.diff) process.stdout.write(file.diff)
    await this.renderView('wrap', {report, home: host.home})
    return undefined
  }
}

/**
 * A wrapped server starts only when its policy loads (fail closed). Say so at wrap time rather than
 * let every wrapped server fail in its client without a word.
 */
function warnWithoutPolicy(policy: string | undefined, report: WrapReport): void {
  const file = resolve(policy ?? policyFile(stateDir()))
  if (existsSync(file) || report.summary.wrapped === 0) return
  process.stderr.write(
    `agentgov: warning: there is no policy at ${file}; the wrapped servers will refuse to start until there is one.\n` +
      `  Create it with 'agentgov policy init'${policy ? ` --output ${file}` : ''} (or pass --policy FILE).\n`,
  )
}
