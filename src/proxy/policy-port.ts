import {type FSWatcher, watch} from 'node:fs'
import {basename, dirname} from 'node:path'

import type {Decision} from '../policy/types.js'
import {evaluate, grantsReader, isToolVisible, killedDecision, PolicyHolder, PolicyStateStore} from '../policy/index.js'
import {watchKilled} from './killswitch.js'
import type {PolicyPort} from './ports.js'
import {realResourceUri} from './real-paths.js'

const STRICTNESS = {allow: 0, audit: 1, human_approval: 2, deny: 3} as const

const UNFOLLOWED_RESOURCE: Decision = Object.freeze({
  action: 'deny',
  policy: null,
  rule: null,
  reason: 'agentgov cannot tell which file this URI leads to (a loop of links, a folder it cannot search, or a path too long), so it is not read.',
})

export interface PolicyBinding extends PolicyPort {
  close(): void
}

/**
 * The policy engine bound to one proxy: the compiled policy (hot-reloaded), the limits state, the
 * grants people created and the kill switch. Throws when the policy does not load, so the proxy
 * refuses to start rather than forward undecided calls.
 */
export function createPolicyPort(file: string, stateDirectory: string, log: (message: string) => void): PolicyBinding {
  const holder = PolicyHolder.load(file)
  const state = new PolicyStateStore()
  const grants = grantsReader(stateDirectory)
  let killed: ReadonlySet<string> = new Set()
  const stopKill = watchKilled(stateDirectory, (agents) => {
    killed = agents
    state.setKilled(agents)
  })
  const stopWatch = watchPolicy(file, () => {
    const result = holder.reload(file)
    if (result.ok) log(`policy reloaded from ${file}`)
    else log(`POLICY NOT RELOADED, the last good policy stays in force: ${result.error.message}`)
  })

  return {
    decide(call, variants = []) {
      const now = Date.now()
      state.setGrants(grants(now))
      // Snapshot, evaluate and record in one synchronous step, so windows cannot move in between.
      const snapshot = state.snapshot(now)
      let decision = evaluate(holder.current, call, snapshot)
      for (const args of variants) {
        const other = evaluate(holder.current, {...call, args}, snapshot)
        if (STRICTNESS[other.action] > STRICTNESS[decision.action]) decision = other
      }

      // A resource is decided on its URI and on the file it leads to, links followed.
      if (call.stage === 'resource' && decision.action !== 'deny') {
        const real = realResourceUri(call.tool)
        const other = real === null ? UNFOLLOWED_RESOURCE : real === undefined ? undefined : evaluate(holder.current, {...call, tool: real}, snapshot)
        if (other && STRICTNESS[other.action] > STRICTNESS[decision.action]) decision = other
      }

      state.record(call, decision, now)
      return decision
    },
    visible: (agent, server, tool, annotations) => isToolVisible(holder.current, {agent, server, tool, annotations}),
    settings: () => holder.current.settings,
    killed: (agent) => (killed.size > 0 ? killedDecision(agent, killed) : undefined),
    close() {
      stopKill()
      stopWatch()
    },
  }
}

/**
 * Editors save by writing a new file and renaming it over the old one, which ends a watch on the
 * file itself: watch the directory and filter by name, and let a burst of events settle first.
 */
function watchPolicy(file: string, onChange: () => void): () => void {
  let timer: NodeJS.Timeout | undefined
  let watcher: FSWatcher | undefined
  try {
    watcher = watch(dirname(file), {persistent: false}, (_event, name) => {
      if (name !== null && name !== basename(file)) return
      clearTimeout(timer)
      timer = setTimeout(onChange, 100)
    })
  } catch {
    return () => {}
  }

  return () => {
    clearTimeout(timer)
    watcher?.close()
  }
}
