import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import {AgentgovError, ExitCode, type ExitCodeValue} from '../errors.js'
import type {Host} from '../host.js'
import {type FileOutcome, type FileState, type RunOptions, statusOf, unwrapTargets, wrapTargets} from './index.js'
import type {LaunchForm} from './launch.js'
import {recordedFiles} from './records.js'
import {type Selected, type Selection, selectTargets} from './targets.js'
import {type WrapWarning, wrapWarnings} from './warnings.js'

export interface WrapReport {
  command: 'unwrap' | 'wrap'
  dryRun: boolean
  files: FileOutcome[]
  /** Files of the selection left alone as a whole (admin, system and extension files). */
  skipped: Selected['skipped']
  warnings: WrapWarning[]
  summary: {files: number; changed: number; errors: number; wrapped: number; repaired: number; restored: number; alreadyGoverned: number; leftUnchanged: number}
}

export interface CommandInput extends Selection {
  dryRun: boolean
  agent?: string
  policy?: string
  launch?: LaunchForm
}

function requireSelection(selection: Selection): void {
  if (selection.files.length === 0 && selection.clients.length === 0 && !selection.all) {
    throw new AgentgovError('Name the config files, or use --client NAME or --all.', {exit: ExitCode.usage, hint: "See 'agentgov wrap --help' for examples."})
  }
}

function summarise(command: WrapReport['command'], input: CommandInput, selected: Selected, files: FileOutcome[], warnings: WrapWarning[]): WrapReport {
  const servers = files.flatMap((f) => f.servers)
  const count = (action: string) => servers.filter((s) => s.action === action).length
  return {
    command,
    dryRun: input.dryRun,
    files,
    skipped: selected.skipped,
    warnings,
    summary: {
      files: files.length,
      changed: files.filter((f) => f.status === 'changed').length,
      errors: files.filter((f) => f.status === 'error').length,
      wrapped: count('wrapped'),
      repaired: count('repaired'),
      restored: count('restored'),
      alreadyGoverned: count('already-governed'),
      leftUnchanged: count('skipped') + count('left'),
    },
  }
}

/** The exit code a report ends with: the first file that failed decides (the output is complete either way). */
export function exitCodeOf(report: {files: Array<{exitCode?: number}>}): ExitCodeValue {
  return (report.files.find((f) => f.exitCode !== undefined)?.exitCode as ExitCodeValue | undefined) ?? ExitCode.ok
}

export async function runWrap(host: Host, stateDir: string, input: CommandInput): Promise<WrapReport> {
  requireSelection(input)
  const policy = input.policy ? resolve(input.policy) : undefined
  if (policy && !existsSync(policy)) {
    throw new AgentgovError(`Policy file ${input.policy} does not exist.`, {exit: ExitCode.input, hint: 'Pass the path of an existing policy file.'})
  }

  const selected = await selectTargets(host, input)
  const warnings = wrapWarnings(selected.targets, selected.machine)
  const options: RunOptions = {stateDir, dryRun: input.dryRun, ...(input.agent && {agent: input.agent}), ...(policy && {policy}), ...(input.launch && {launch: input.launch})}
  return summarise('wrap', input, selected, await wrapTargets(selected.targets, options), warnings)
}

export async function runUnwrap(host: Host, stateDir: string, input: CommandInput): Promise<WrapReport> {
  requireSelection(input)
  // Files agentgov wrapped are unwrapped with --all even when the scan no longer finds them (an env
  // override that is gone, a project file named by path).
  const extra = input.all && input.files.length === 0 ? await recordedFiles(stateDir) : []
  const selected = await selectTargets(host, input, input.clients.length === 0 ? extra : [])
  return summarise('unwrap', input, selected, await unwrapTargets(selected.targets, {stateDir, dryRun: input.dryRun}), [])
}

export interface StatusReport {
  files: FileState[]
  summary: {files: number; servers: number; wrapped: number; changedSinceWrap: number; broken: number}
}

export async function runStatus(host: Host, stateDir: string, selection: Selection): Promise<StatusReport> {
  const everything = selection.files.length === 0 && selection.clients.length === 0
  const extra = everything || selection.all ? await recordedFiles(stateDir) : []
  const selected = await selectTargets(host, {...selection, all: selection.all || everything}, selection.clients.length === 0 ? extra : [])
  const files = await statusOf(selected.targets, stateDir)
  const servers = files.flatMap((f) => f.servers)
  return {
    files,
    summary: {
      files: files.length,
      servers: servers.length,
      wrapped: servers.filter((s) => s.wrapped).length,
      changedSinceWrap: files.filter((f) => f.changedSinceWrap).length,
      broken: servers.filter((s) => s.launcher && !s.launcher.ok).length,
    },
  }
}
