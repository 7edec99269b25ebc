import {readdirSync} from 'node:fs'
import {join} from 'node:path'

import {BaseCommand} from '../../src/base-command.js'
import {ExitCode, exitCodesHelp} from '../../src/errors.js'
import type {PinFile} from '../../src/proxy/pins.js'
import {readJsonFile} from '../../src/state-files.js'
import {pinsDir} from '../../src/state-layout.js'
import {stateDir} from '../../src/state.js'
import {shown} from '../../src/ui/text.js'

export default class PinsList extends BaseCommand<typeof PinsList> {
  static override summary = 'Pinned tool definitions per server, and the ones that changed since.'
  static override description =
    ['A proxy pins each tool definition (description, schemas, annotations) the first time it sees it. A later change is a possible rug pull: with pinning: block in the policy the tool is hidden and its calls denied until a person accepts the change with `agentgov pins accept`.', exitCodesHelp({[ExitCode.state]: true})].join('\n\n')

  static override examples = [{description: 'What changed?', command: '<%= config.bin %> <%= command.id %>'}]

  public async run(): Promise<object> {
    const dir = pinsDir(stateDir())
    let names: string[] = []
    try {
      names = readdirSync(dir).filter((name) => name.endsWith('.json'))
    } catch {
      // No proxy has run yet.
    }

    const servers = names
      .map((name) => readJsonFile<PinFile>(join(dir, name)))
      .filter((file): file is PinFile => file !== undefined)
      .map((file) => ({
        server: file.server,
        tools: Object.entries(file.tools).map(([tool, pin]) => ({tool, pinnedAt: pin.pinnedAt, changed: pin.changed !== undefined, changedAt: pin.changed?.seenAt})),
      }))
    if (!this.jsonEnabled()) {
      if (servers.length === 0) process.stdout.write('No tool definitions are pinned yet.\n')
      for (const server of servers) {
        const changed = server.tools.filter((t) => t.changed)
        process.stdout.write(shown(`${server.server}: ${server.tools.length} tool(s) pinned${changed.length > 0 ? `, CHANGED: ${changed.map((t) => t.tool).join(', ')}` : ''}`) + '\n')
      }
    }

    return {servers}
  }
}
