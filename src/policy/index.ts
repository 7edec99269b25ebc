/**
 * The policy engine's public surface: what the proxy, the commands and the benchmark use.
 * Types shared with the rest of agentgov are in types.ts.
 */
import {policyFile} from '../state-layout.js'
import {stateDir} from '../state.js'

export type * from './types.js'
export type {Diagnostic, DocumentAst} from './ast.js'
export {DEFAULT_SETTINGS} from './ast.js'
export {CompiledPolicy, type CompileOptions, compilePolicy, formatDiagnostic, PolicyError} from './compile.js'
export {DEFAULT_DENY, evaluate, isToolVisible, killedDecision, type VisibilityQuery} from './evaluate.js'
export {activeGrants, addGrant, grantsPath, grantsReader, readGrants, revokeGrant} from './grants.js'
export {loadPolicyFile, PolicyHolder, type ReloadResult} from './holder.js'
export {emptySnapshot, PolicyStateStore, type StateStoreOptions} from './state.js'
export {parseDuration} from './duration.js'
export {UNDECIDABLE} from './conditions.js'
/** The one canonical name (policy, pins, changed and poisoned sets, approvals, records). */
export {canonicalName, lookalikeKey} from './canonical.js'
/** Only known methods pass, each with its stage. */
export {CLIENT_METHODS, knownMethod, type KnownMethod, type MethodGate, passesKillSwitch, SERVER_METHODS} from './methods.js'
export {resourceSubject} from './resource-uri.js'
export {approvesInClient} from './approve-in-client.js'

/** Where `policy init` writes and the proxy looks when no --policy is given: `<state dir>/policy.yaml`. */
export function defaultPolicyPath(env: NodeJS.ProcessEnv = process.env): string {
  return policyFile(stateDir(env))
}
