import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import {AgentgovError, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {splitQualified} from '../../src/policy/cases.js'
import {explain, type Explanation} from '../../src/policy/explain.js'
import {loadPolicyFile} from '../../src/policy/holder.js'
import {defaultPolicyPath} from '../../src/policy/index.js'
import {STAGES} from '../../src/policy/schema.js'
import {emptySnapshot} from '../../src/policy/state.js'
import type {Stage, ToolAnnotations} from '../../src/policy/types.js'

export default class PolicyExplain extends BaseCommand<typeof PolicyExplain> {
  static override summary = 'Show the decision for one call and the path to it: which policies apply, which rules were tried, and why.'
  static override description = [
    'Evaluates the call as the proxy would, on a fresh state (no rate, loop or grant history), and lists every policy in precedence order with each rule tried and its outcome.',
    exitCodesHelp({0: 'explained', 2: 'a bad flag value (such as --args that is not a JSON object)', 3: 'the policy is invalid'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Why is this call denied?', command: `<%= config.bin %> <%= command.id %> --agent claude-code --tool github.delete_repo --args '{"repo": "acme/api"}'`},
    {description: 'A specific policy file, with annotations the server declares', command: `<%= config.bin %> <%= command.id %> --policy policy.yaml --agent cursor --tool fs.read_file --args '{"path": "~/.ssh/id_rsa"}' --annotations '{"readOnlyHint": true}'`},
  ]

  static override flags = {
    policy: Flags.string({description: 'The policy file (default: ~/.agentgov/policy.yaml).'}),
    agent: Flags.string({description: 'The agent id (as given to the proxy with --agent).', required: true}),
    tool: Flags.string({description: 'The tool, qualified by server: server.tool.', required: true}),
    server: Flags.string({description: 'The server, when its name has a dot (then --tool is the bare tool name).'}),
    args: Flags.string({description: 'The call arguments as a JSON object.', default: '{}'}),
    annotations: Flags.string({description: 'The tool annotations as a JSON object ({"readOnlyHint": true}).'}),
    stage: Flags.string({description: 'The stage to decide at.', options: [...STAGES], default: 'pre_tool'}),
  }

  public async run(): Promise<Explanation> {
    const target = splitQualified(this.flags.tool, this.flags.server)
    if (!target) throw usage(`--tool ${this.flags.tool} names no server: write server.tool, or pass --server.`)
    const args = jsonObject(this.flags.args, '--args')
    const annotations = this.flags.annotations === undefined ? undefined : (jsonObject(this.flags.annotations, '--annotations') as ToolAnnotations)
    const policy = loadPolicyFile(this.flags.policy ?? defaultPolicyPath())
    const explanation = explain(policy, {agent: this.flags.agent, ...target, stage: this.flags.stage as Stage, args, annotations}, emptySnapshot(Date.now()))
    if (this.jsonEnabled()) return explanation
    await this.renderView('policy-explain', {explanation})
    return explanation
  }
}

function usage(message: string): AgentgovError {
  return new AgentgovError(message, {exit: ExitCode.usage, hint: "Run 'agentgov policy explain --help' for usage."})
}

function jsonObject(text: string, flag: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw usage(`${flag} is not valid JSON: ${(error as Error).message}.`)
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usage(`${flag} must be a JSON object, such as '{"path": "/tmp/x"}'.`)
  return value as Record<string, unknown>
}
