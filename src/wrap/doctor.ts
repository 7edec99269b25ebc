import {accessSync, constants, existsSync} from 'node:fs'
import {dirname} from 'node:path'

import {AgentgovError, errorMessage} from '../errors.js'
import type {Host} from '../host.js'
import {loadPolicyFile} from '../policy/holder.js'
import {tokenFilePath} from '../proxy/tokens.js'
import {readJsonFile} from '../state-files.js'
import {policyFile as defaultPolicyFile} from '../state-layout.js'
import {runStatus} from './run.js'

/** One thing doctor looked at: fine, or what is wrong and the command that fixes it. */
export interface Check {
  ok: boolean
  problem?: string
  fix?: string
}

export interface EntryCheck {
  file: string
  client: string
  name: string
  project?: string
  launcher: Check & {form: string; version?: string}
  policy: Check & {file: string}
}

export interface DoctorReport {
  stateDir: Check & {path: string}
  tokens: Check & {path: string}
  entries: EntryCheck[]
  summary: {entries: number; broken: number; ok: boolean}
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK | constants.W_OK | constants.X_OK)
    return true
  } catch {
    return false
  }
}

function checkStateDir(path: string): Check & {path: string} {
  if (existsSync(path)) {
    return writable(path) ? {ok: true, path} : {ok: false, path, problem: `${path} cannot be read and written by you`, fix: `chmod u+rwx ${path} (or set AGENTGOV_HOME to a writable directory)`}
  }

  // Not made yet: the first proxy creates it, if its parent lets it.
  let parent = dirname(path)
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent)
  return writable(parent) ? {ok: true, path} : {ok: false, path, problem: `${path} does not exist and ${parent} is not writable`, fix: 'set AGENTGOV_HOME to a writable directory'}
}

function checkTokens(path: string): Check & {path: string} {
  if (!existsSync(path)) return {ok: true, path}
  const file = readJsonFile<{tokens?: unknown}>(path)
  if (!file || !Array.isArray(file.tokens)) return {ok: false, path, problem: `${path} is not a token file agentgov can read`, fix: `move ${path} aside and add tokens again with 'agentgov tokens add --agent NAME'`}
  return {ok: true, path}
}

function checkPolicy(file: string, isDefault: boolean): Check & {file: string} {
  try {
    loadPolicyFile(file)
    return {ok: true, file}
  } catch (error) {
    const problem = error instanceof AgentgovError ? error.message : errorMessage(error)
    if (!existsSync(file)) return {ok: false, file, problem, fix: isDefault ? `agentgov policy init` : `create ${file}, or run 'agentgov wrap FILE --policy <an existing policy>'`}
    return {ok: false, file, problem, fix: `agentgov policy lint ${file}`}
  }
}

/**
 * Every wrapped entry on this machine (and every file agentgov holds a wrap record for): does its
 * launcher start this agentgov, does its policy compile; and are the state directory and the token
 * file usable. Read-only: it says what to run, it changes nothing.
 */
export async function runDoctor(host: Host, stateDirectory: string): Promise<DoctorReport> {
  const status = await runStatus(host, stateDirectory, {files: [], clients: [], all: false})
  const policies = new Map<string, Check & {file: string}>()
  const entries: EntryCheck[] = []
  for (const file of status.files) {
    for (const server of file.servers) {
      if (!server.wrapped || !server.launcher) continue
      const policyFile = server.policy ?? defaultPolicyFile(stateDirectory)
      if (!policies.has(policyFile)) policies.set(policyFile, checkPolicy(policyFile, server.policy === undefined))
      const {ok, problem, form, version} = server.launcher
      entries.push({
        file: file.file,
        client: server.client,
        name: server.name,
        ...(server.project && {project: server.project}),
        launcher: {ok, form, ...(version && {version}), ...(problem && {problem, fix: `agentgov wrap ${file.file}`})},
        policy: policies.get(policyFile)!,
      })
    }
  }

  const stateDir = checkStateDir(stateDirectory)
  const tokens = checkTokens(tokenFilePath(stateDirectory))
  const broken = entries.filter((e) => !e.launcher.ok || !e.policy.ok).length
  return {stateDir, tokens, entries, summary: {entries: entries.length, broken, ok: broken === 0 && stateDir.ok && tokens.ok}}
}
