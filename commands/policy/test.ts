import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../../src/errors.js'
import {type CaseResult, readCases, runCases} from '../../src/policy/cases.js'
import {loadPolicyFile} from '../../src/policy/holder.js'

interface TestOutput {
  file: string
  cases: string
  passed: number
  failed: number
  results: CaseResult[]
}

export default class PolicyTest extends BaseCommand<typeof PolicyTest> {
  static override summary = 'Run a policy against test cases (call → expected decision), for CI.'
  static override description = [
    'Each case names an agent, a tool (server.tool), arguments and the expected action, and optionally the rule, policy or limit expected; it can switch the kill switch on, add a grant, or say how many identical calls came just before (to test loop detection and rate limits). Format: docs/policy.md, "Testing a policy".',
    exitCodesHelp({0: 'every case passed', 1: 'a case failed', 3: 'the policy or the cases file is invalid'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Run the cases', command: '<%= config.bin %> <%= command.id %> policy.yaml --cases policy.cases.yaml'},
    {description: 'Machine-readable results', command: '<%= config.bin %> <%= command.id %> policy.yaml --cases policy.cases.yaml --json'},
  ]

  static override args = {
    file: Args.string({description: 'The policy file.', required: true}),
  }

  static override flags = {
    cases: Flags.string({description: 'The cases file (YAML).', required: true}),
  }

  public async run(): Promise<TestOutput> {
    const policy = loadPolicyFile(this.args.file)
    const results = runCases(policy, readCases(this.flags.cases))
    const failed = results.filter((r) => !r.passed).length
    if (failed > 0) process.exitCode = ExitCode.checkFailed
    const output = {file: this.args.file, cases: this.flags.cases, passed: results.length - failed, failed, results}
    if (this.jsonEnabled()) return output
    await this.renderView('policy-cases', {results})
    return output
  }
}
