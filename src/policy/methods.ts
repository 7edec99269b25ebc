/**
 * The MCP methods agentgov knows, each with the stage that decides it. Only these pass: a method
 * spelled any other way (`Tools/Call`, `tools/call ` with a space, `tools/call\0`) is not a variant
 * of a known one but an unknown method, refused and recorded, since a lenient server might still
 * run it. Methods are compared exactly, as JSON-RPC does: no case folding, no trimming.
 */
import type {Stage} from './types.js'

/**
 * Where a method is decided: a policy stage, `lifecycle` (the session itself; passes the kill
 * switch), or `session` (lists, subscriptions, completions, logging, task bookkeeping: passes the
 * policy, stopped by the kill switch).
 */
export type MethodGate = 'lifecycle' | 'session' | Stage

export interface KnownMethod {
  gate: MethodGate
  /** Sent as a request (an answer expected) or as a notification. */
  kind: 'notification' | 'request'
}

const request = (gate: MethodGate): KnownMethod => Object.freeze({gate, kind: 'request'})
const notification = (gate: MethodGate): KnownMethod => Object.freeze({gate, kind: 'notification'})

/** From the client (the agent) to the server (MCP 2025-11-25). */
export const CLIENT_METHODS: ReadonlyMap<string, KnownMethod> = new Map([
  ['initialize', request('lifecycle')],
  ['ping', request('lifecycle')],
  ['notifications/initialized', notification('lifecycle')],
  ['notifications/cancelled', notification('lifecycle')],
  ['notifications/progress', notification('lifecycle')],
  ['notifications/roots/list_changed', notification('session')],
  ['tools/list', request('tool_list')],
  ['tools/call', request('pre_tool')],
  ['resources/list', request('session')],
  ['resources/templates/list', request('session')],
  ['resources/read', request('resource')],
  ['resources/subscribe', request('resource')],
  ['resources/unsubscribe', request('session')],
  ['prompts/list', request('session')],
  ['prompts/get', request('prompt')],
  ['completion/complete', request('session')],
  ['logging/setLevel', request('session')],
  // A task's result is a tool call's result: what comes back is checked as post_tool.
  ['tasks/get', request('session')],
  ['tasks/list', request('session')],
  ['tasks/cancel', request('session')],
  ['tasks/result', request('post_tool')],
  ['notifications/tasks/status', notification('session')],
])

/** From the server to the client. */
export const SERVER_METHODS: ReadonlyMap<string, KnownMethod> = new Map([
  ['ping', request('lifecycle')],
  ['sampling/createMessage', request('session')],
  ['elicitation/create', request('session')],
  ['roots/list', request('session')],
  ['notifications/cancelled', notification('lifecycle')],
  ['notifications/progress', notification('lifecycle')],
  ['notifications/message', notification('session')],
  ['notifications/tools/list_changed', notification('tool_list')],
  ['notifications/resources/list_changed', notification('session')],
  ['notifications/resources/updated', notification('session')],
  ['notifications/prompts/list_changed', notification('session')],
  ['notifications/elicitation/complete', notification('session')],
  ['notifications/tasks/status', notification('session')],
  // Tasks the client runs for the server (a sampling request run as a task).
  ['tasks/get', request('session')],
  ['tasks/list', request('session')],
  ['tasks/cancel', request('session')],
  ['tasks/result', request('session')],
])

/**
 * The known method `method` is, sent by `from` as `kind`; undefined for anything else (refuse it
 * with -32601 and record it). A known method sent the wrong way (a tools/call notification) is
 * unknown too.
 */
export function knownMethod(method: string, from: 'client' | 'server', kind: KnownMethod['kind']): KnownMethod | undefined {
  const known = (from === 'client' ? CLIENT_METHODS : SERVER_METHODS).get(method)
  return known?.kind === kind ? known : undefined
}

/** Whether the kill switch lets this through: only the session's own lifecycle does. */
export function passesKillSwitch(known: KnownMethod | undefined): boolean {
  return known?.gate === 'lifecycle'
}
