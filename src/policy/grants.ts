/**
 * Grants: a person's time-boxed permission that lifts human_approval (never deny) for an agent's
 * matching tools. Kept in `<state dir>/grants.json`, written atomically, re-read by running proxies.
 */
import {randomBytes} from 'node:crypto'
import {statSync} from 'node:fs'

import {readJsonFile, writeJsonFile} from '../state-files.js'
import {grantsFile} from '../state-layout.js'
import type {Grant} from './types.js'

export const GRANTS_SCHEMA = 'agentgov.grants/v1'

interface GrantsFile {
  schema: typeof GRANTS_SCHEMA
  grants: Grant[]
}

export function grantsPath(stateDirectory: string): string {
  return grantsFile(stateDirectory)
}

/** Every grant in the file, expired or not; a missing or unreadable file holds none. */
export function readGrants(stateDirectory: string): Grant[] {
  const file = readJsonFile<Partial<GrantsFile>>(grantsPath(stateDirectory))
  if (!file || !Array.isArray(file.grants)) return []
  return file.grants.filter(isGrant)
}

function isGrant(value: unknown): value is Grant {
  const g = value as Grant
  return (
    typeof g === 'object' && g !== null && typeof g.id === 'string' && typeof g.agent === 'string' && Array.isArray(g.tools) &&
    g.tools.every((t) => typeof t === 'string') && typeof g.createdAt === 'number' && typeof g.expiresAt === 'number' && typeof g.createdBy === 'string'
  )
}

export function activeGrants(grants: readonly Grant[], now: number): Grant[] {
  return grants.filter((g) => now >= g.createdAt && now < g.expiresAt)
}

function writeGrants(stateDirectory: string, grants: Grant[]): void {
  writeJsonFile(grantsPath(stateDirectory), {schema: GRANTS_SCHEMA, grants} satisfies GrantsFile)
}

export interface NewGrant {
  agent: string
  tools: string[]
  durationSec: number
  createdBy: string
  reason?: string
}

/** Add a grant; expired grants are pruned from the file on the way. */
export function addGrant(stateDirectory: string, input: NewGrant, now: number): Grant {
  const grant: Grant & {reason?: string} = {
    id: `g_${randomBytes(4).toString('hex')}`,
    agent: input.agent,
    tools: input.tools,
    createdAt: now,
    expiresAt: now + Math.round(input.durationSec * 1000),
    createdBy: input.createdBy,
    ...(input.reason ? {reason: input.reason} : {}),
  }
  writeGrants(stateDirectory, [...activeGrants(readGrants(stateDirectory), now), grant])
  return grant
}

/** Remove a grant by id; returns it, or undefined when there is none by that id. */
export function revokeGrant(stateDirectory: string, id: string, now: number): Grant | undefined {
  const grants = readGrants(stateDirectory)
  const found = grants.find((g) => g.id === id)
  if (found) writeGrants(stateDirectory, activeGrants(grants.filter((g) => g !== found), now))
  return found
}

/**
 * For the proxy: the current grants, re-read only when the file changed (checked at most every
 * `intervalMs`), so a grant or a revoke reaches running proxies within about a second.
 */
export function grantsReader(stateDirectory: string, intervalMs = 1000): (now: number) => readonly Grant[] {
  const path = grantsPath(stateDirectory)
  let grants: Grant[] = []
  let stamp = ''
  let checkedAt = -Infinity
  return (now) => {
    if (now - checkedAt < intervalMs) return grants
    checkedAt = now
    let next = 'missing'
    try {
      const stat = statSync(path)
      next = `${stat.mtimeMs}:${stat.size}:${stat.ino}`
    } catch {
      // No file: no grants.
    }

    if (next !== stamp) {
      stamp = next
      grants = next === 'missing' ? [] : readGrants(stateDirectory)
    }

    return grants
  }
}
