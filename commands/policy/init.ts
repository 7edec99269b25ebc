import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/base-command.js'
import type {Inventory} from '../../src/discovery/types.js'
import {AgentgovError, errorMessage, ExitCode, exitCodesHelp} from '../../src/errors.js'
import {hostFromEnv} from '../../src/host.js'
import {compilePolicy, defaultPolicyPath} from '../../src/policy/index.js'
import {starterPolicy, type StarterServer} from '../../src/policy/init.js'

interface InitOutput {
  file: string
  servers: StarterServer[]
  rules: number
}

export default class PolicyInit extends BaseCommand<typeof PolicyInit> {
  static override summary = 'Write a starter policy from what discover finds: reads allowed, writes and destructive tools behind approval, the rest denied.'
  static override description = [
    "Runs discover on this machine (or reads an inventory saved with 'agentgov discover --json'), and writes one policy for every agent: known servers (filesystem, GitHub, memory, fetch, git, SQLite, …) get their tools sorted from the catalogue in templates/policy/servers.yaml; every discovered server then falls back to the MCP annotations its tools declare (readOnlyHint allowed, the rest behind human approval); anything else is denied.",
    'Never overwrites an existing file unless --force is given.',
    exitCodesHelp({0: 'written', 3: 'the inventory cannot be read or the file exists (without --force)', 4: 'the state directory cannot be written'}),
  ].join('\n\n')

  static override examples = [
    {description: 'Write ~/.agentgov/policy.yaml from this machine', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'From a saved inventory, to a file of your choice', command: '<%= config.bin %> <%= command.id %> --inventory inventory.json --output policy.yaml'},
    {description: 'Replace an existing policy', command: '<%= config.bin %> <%= command.id %> --force'},
  ]

  static override flags = {
    output: Flags.string({char: 'o', description: 'Where to write the policy (default: ~/.agentgov/policy.yaml).'}),
    inventory: Flags.string({description: "An inventory from 'agentgov discover --json' (default: run discover now)."}),
    force: Flags.boolean({description: 'Overwrite the file when it exists.', default: false}),
  }

  public async run(): Promise<InitOutput> {
    const file = resolve(this.flags.output ?? defaultPolicyPath())
    if (existsSync(file) && !this.flags.force) {
      throw new AgentgovError(`${file} already exists; agentgov policy init does not overwrite a policy.`, {exit: ExitCode.input, hint: 'Pass --force to replace it, or --output to write elsewhere.'})
    }

    const inventory = this.flags.inventory ? readInventory(this.flags.inventory) : await this.discoverNow()
    const starter = starterPolicy(inventory)
    // The starter must compile: a policy init writes and the proxy then refuses would be a trap.
    const rules = compilePolicy(starter.text, file).rules.length
    try {
      mkdirSync(dirname(file), {recursive: true, mode: 0o700})
      writeFileSync(file, starter.text, {mode: 0o600})
    } catch (error) {
      throw new AgentgovError(`Cannot write ${file}: ${errorMessage(error)}.`, {exit: ExitCode.state, hint: 'Choose another path with --output.'})
    }

    const output = {file, servers: starter.servers, rules}
    if (this.jsonEnabled()) return output
    await this.renderView('message', {
        lines: [
          {text: `Wrote ${file}: ${rules} rules for ${starter.servers.length} server${starter.servers.length === 1 ? '' : 's'}.`, color: 'green'},
          ...starter.servers.map((s) => ({text: `  ${s.name}  ${s.template ? `catalogue: ${s.template}` : 'by annotations'}  (${s.clients.join(', ')})`})),
          {text: `Next: agentgov policy lint ${file}`, dim: true},
        ],
    })
    return output
  }

  private async discoverNow(): Promise<Inventory> {
    const {discover} = await import('../../src/discovery/index.js')
    return discover({host: hostFromEnv(process.env), machine: true, processes: false, repositories: []})
  }
}

function readInventory(path: string): Inventory {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Inventory
    if (!Array.isArray(value.servers)) throw new Error('it has no "servers" list')
    return value
  } catch (error) {
    throw new AgentgovError(`Cannot read inventory ${path}: ${errorMessage(error)}.`, {exit: ExitCode.input, hint: "Save one with 'agentgov discover --json > inventory.json'."})
  }
}
