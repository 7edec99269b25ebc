import type {Hook} from '@oclif/core'

import {ExitCode} from '../errors.js'
import {closest} from '../policy/suggest.js'

/**
 * A mistyped command: one sentence, the closest command when there is one, and the usage exit code.
 * (oclif's plugin-not-found suggests only on a terminal, prompts to run the guess, and exits 127.)
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const spaced = (id: string) => id.replaceAll(':', ' ')
  const visible = [...options.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]), ...options.config.topics.filter((t) => !t.hidden).map((t) => t.name)]
  const guess = closest(options.id, visible)
  const bin = options.config.bin
  process.stderr.write(`agentgov: "${spaced(options.id)}" is not an ${bin} command.\n`)
  process.stderr.write(guess ? `  Did you mean '${bin} ${spaced(guess)}'? Run '${bin} help' for every command.\n` : `  Run '${bin} help' for every command.\n`)
  process.exit(ExitCode.usage)
}

export default hook
