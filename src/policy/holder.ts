/**
 * Hot reload: one reference to the compiled policy, swapped whole. A file that fails to compile
 * never replaces a good policy; the error goes back to the caller to report (loudly).
 */
import {readFileSync} from 'node:fs'

import {AgentgovError, ExitCode, errorMessage} from '../errors.js'
import {type CompiledPolicy, type CompileOptions, compilePolicy} from './compile.js'

export type ReloadResult = {ok: true; policy: CompiledPolicy} | {ok: false; error: AgentgovError}

export function loadPolicyFile(path: string, options: CompileOptions = {}): CompiledPolicy {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new AgentgovError(`Cannot read policy file ${path}: ${errorMessage(error)}.`, {
      exit: ExitCode.input,
      hint: "Create one with 'agentgov policy init', or pass --policy FILE.",
    })
  }

  return compilePolicy(text, path, options)
}

export class PolicyHolder {
  private policy: CompiledPolicy

  constructor(
    initial: CompiledPolicy,
    private readonly options: CompileOptions = {},
  ) {
    this.policy = initial
  }

  static load(path: string, options: CompileOptions = {}): PolicyHolder {
    return new PolicyHolder(loadPolicyFile(path, options), options)
  }

  get current(): CompiledPolicy {
    return this.policy
  }

  /** Re-read a file (default: the current policy's). Keeps the current policy when it fails. */
  reload(path: string = this.policy.file): ReloadResult {
    try {
      return this.swap(loadPolicyFile(path, this.options))
    } catch (error) {
      return {ok: false, error: asAgentgovError(error)}
    }
  }

  /** Compile text and swap it in; keeps the current policy when it fails. */
  reloadText(text: string, file: string = this.policy.file): ReloadResult {
    try {
      return this.swap(compilePolicy(text, file, this.options))
    } catch (error) {
      return {ok: false, error: asAgentgovError(error)}
    }
  }

  swap(policy: CompiledPolicy): ReloadResult {
    this.policy = policy
    return {ok: true, policy}
  }
}

function asAgentgovError(error: unknown): AgentgovError {
  if (error instanceof AgentgovError) return error
  return new AgentgovError(`The policy could not be compiled: ${errorMessage(error)}.`, {exit: ExitCode.internal, cause: error})
}
