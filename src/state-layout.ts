import {join} from 'node:path'

/**
 * The layout of agentgov's state directory (`~/.agentgov`, see state.ts): every path inside it is
 * spelled here and nowhere else, so a reader (a command, the report, a test) and the writer (the
 * proxy, wrap) cannot drift apart on a file name. Each function takes the state directory.
 */

/** The policy `policy init` writes and the proxy loads when no --policy is given. */
export function policyFile(stateDir: string): string {
  return join(stateDir, 'policy.yaml')
}

/** The approved-servers inventory `discover` and `report` read when no --approved is given. */
export function approvedFile(stateDir: string): string {
  return join(stateDir, 'approved.yaml')
}

/** SHA-256 digests of the HTTP face's bearer tokens, one per agent. */
export function tokensFile(stateDir: string): string {
  return join(stateDir, 'tokens.json')
}

/** Which agents are killed (`agentgov kill`): every running proxy follows it. */
export function killSwitchFile(stateDir: string): string {
  return join(stateDir, 'killswitch.json')
}

/** Time-boxed grants (`agentgov grant`). */
export function grantsFile(stateDir: string): string {
  return join(stateDir, 'grants.json')
}

/** One file per server of pinned tool definitions. */
export function pinsDir(stateDir: string): string {
  return join(stateDir, 'pins')
}

/** One file per call held for a person's approval. */
export function approvalsDir(stateDir: string): string {
  return join(stateDir, 'approvals')
}

/** The hash-chained trace store: segments and their index. */
export function tracesDir(stateDir: string): string {
  return join(stateDir, 'traces')
}

/** One record and one backup per client file that `wrap` rewrote. */
export function wrapsDir(stateDir: string): string {
  return join(stateDir, 'wraps')
}

/** Lock files that serialise two `wrap`/`unwrap` runs on the same client file. */
export function locksDir(stateDir: string): string {
  return join(stateDir, 'locks')
}
