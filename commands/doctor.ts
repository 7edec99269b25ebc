import {BaseCommand} from '../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../src/errors.js'
import {hostFromEnv} from '../src/host.js'
import {stateDir} from '../src/state.js'
import {type DoctorReport, runDoctor} from '../src/wrap/doctor.js'

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = 'Check that every wrapped MCP server will start: launcher, agentgov version, policy, state directory, token file.'
  static override description = [
    "Looks at every wrapped entry of every client config on this machine (and every file agentgov holds a wrap record for): the launcher resolves (node and agentgov's path, or npx on PATH) and runs this agentgov's version, the policy it names compiles; then whether the state directory and the token file are usable. Each problem comes with the command that fixes it. Read-only.",
    exitCodesHelp({[ExitCode.ok]: 'everything checks out', [ExitCode.checkFailed]: 'something is broken (the fixes are printed)'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Check this machine', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'In a script', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  public async run(): Promise<DoctorReport | undefined> {
    const host = hostFromEnv(process.env)
    const report = await runDoctor(host, stateDir())
    if (!report.summary.ok) process.exitCode = ExitCode.checkFailed
    if (this.jsonEnabled()) return report
    await this.renderView('doctor', {report, home: host.home})
    return undefined
  }
}
