import {Command, Flags, Interfaces} from '@oclif/core'

import {AgentgovError, ExitCode} from './errors.js'
import type {ViewName, ViewProps} from './ui/views.js'

/**
 * Every agentgov command extends this: `--json` through oclif's JSON flag, diagnostics on stderr
 * only (the proxy owns stdout), and one mapping from errors to the documented exit codes.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {
    verbose: Flags.boolean({description: 'Print diagnostics (to stderr).', default: false, helpGroup: 'GLOBAL'}),
  }

  protected flags!: Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
  protected args!: Interfaces.InferredArgs<T['args']>
  /** Positional arguments after flag parsing (for commands that take many); flag values are not in it. */
  protected positional: string[] = []

  public override async init(): Promise<void> {
    await super.init()
    const {args, argv, flags} = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as typeof this.flags
    this.args = args as typeof this.args
    this.positional = argv.map(String)
  }

  /**
   * Print a view of src/ui once (the human output of most commands). ink, React and the view load
   * only here, so --json, SARIF and the proxy never pay for them.
   */
  protected async renderView<N extends ViewName>(name: N, props: ViewProps<N>): Promise<void> {
    await (await import('./ui/render.js')).renderView(name, props)
  }

  /** A view that stays and updates until it exits (a live tail, the approvals prompt). */
  protected async renderLiveView<N extends ViewName>(name: N, props: ViewProps<N>): Promise<void> {
    await (await import('./ui/render.js')).renderLiveView(name, props)
  }

  /** Diagnostics go to stderr so that stdout stays clean for JSON, SARIF and MCP traffic. */
  protected diag(message: string): void {
    if (this.flags?.verbose) process.stderr.write(`agentgov: ${message}\n`)
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof AgentgovError) {
      this.printError(error.message, error.hint)
      this.exit(error.exitCode)
    }

    // oclif's own parse and validation errors carry exit 2 already: keep them, but in our words.
    if (error.oclif?.exit !== undefined && error.oclif.exit !== 0 && error.name !== 'ExitError') {
      this.printError(firstLine(error.message), `Run 'agentgov ${this.id?.replaceAll(':', ' ') ?? ''} --help' for usage.`)
      this.exit(ExitCode.usage)
    }

    if (error.name === 'ExitError' || error.oclif?.exit === 0) throw error
    this.printError(`agentgov hit an unexpected error: ${error.message}.`, 'This is a bug; please report it with the command you ran (set DEBUG=agentgov for the stack).')
    if (process.env.DEBUG) process.stderr.write(`${error.stack}\n`)
    this.exit(ExitCode.internal)
  }

  private printError(message: string, hint?: string): void {
    if (this.jsonEnabled()) {
      // A JSON consumer still gets a parseable document on stdout, and the exit code.
      process.stdout.write(JSON.stringify({error: {message, hint}}, null, 2) + '\n')
      return
    }

    process.stderr.write(`agentgov: ${message}\n`)
    if (hint) process.stderr.write(`  ${hint}\n`)
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text
  return line.trim().replace(/\.?$/, '.')
}
