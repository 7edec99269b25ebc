import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../../src/errors.js'
import {lintFile, type LintResult} from '../../src/policy/lint.js'
import {pathOptions} from '../../src/policy/options.js'

export default class PolicyLint extends BaseCommand<typeof PolicyLint> {
  static override summary = 'Check a policy file: errors with file:line:col, warnings for rules that never apply or shadow a deny.'
  static override description = [
    'Reports every schema error with its file, line and column (and a "did you mean" for a mistyped key), and warns about rules that can never apply (an earlier rule matches every call they would) and allow rules that come before a deny matching some of the same calls.',
    'Reads agentgov policies and agent-mesh policy files as they are.',
    exitCodesHelp({0: 'valid (warnings allowed)', 3: 'the file has errors or cannot be read'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Check a policy', command: '<%= config.bin %> <%= command.id %> policy.yaml'},
    {description: 'As JSON, for an editor or CI annotation', command: '<%= config.bin %> <%= command.id %> policy.yaml --json'},
  ]

  static override args = {
    file: Args.string({description: 'The policy file.', required: true}),
  }

  public async run(): Promise<LintResult> {
    const result = lintFile(this.args.file, pathOptions())
    if (result.errors.length > 0) process.exitCode = ExitCode.input
    if (this.jsonEnabled()) return result
    await this.renderView('policy-lint', {result})
    return result
  }
}
