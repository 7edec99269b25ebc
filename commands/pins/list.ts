import {BaseCommand} from '../../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../../src/errors.js'
import {allPinReports, type ServerPinReport} from '../../src/proxy/pin-report.js'
import {stateDir} from '../../src/state.js'

export default class PinsList extends BaseCommand<typeof PinsList> {
  static override summary = 'Pinned tool definitions per server, and what changed since, as a word-level diff.'
  static override description = [
    'A proxy pins each tool definition (description, schemas, annotations) the first time it sees it, under its canonical name (the one the policy decides on: ECHO and full-width ｅｃｈｏ are echo). A later change is a possible rug pull, and so is a new tool that looks like a pinned one that left the listing (a rename): with pinning: block in the policy the tool is hidden and its calls denied until a person accepts the change with `agentgov pins accept`. Each change is shown as a word diff ([-removed-] {+added+}), invisible and control characters spelt out (<U+200B>, \\n).',
    exitCodesHelp({[ExitCode.state]: true}),
  ].join('\n\n')

  static override examples = [
    {description: 'What changed?', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'The same, with each diff, as JSON', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  public async run(): Promise<{servers: ServerPinReport[]}> {
    const servers = allPinReports(stateDir())
    if (!this.jsonEnabled()) await this.renderView('pins', {servers, detail: false})
    return {servers}
  }
}
