import {randomBytes, timingSafeEqual} from 'node:crypto'

import {sha256} from '../digest.js'
import {AgentgovError, ExitCode} from '../errors.js'
import {readJsonFile, writeJsonFile} from '../state-files.js'
import {tokensFile} from '../state-layout.js'

/**
 * Bearer tokens for the HTTP face: each maps to one agent identity, so an agent is who its token
 * says, not who it claims. Only SHA-256 digests are stored; a leaked token file grants nothing.
 */
export interface TokenFile {
  tokens: Array<{agent: string; sha256: string; createdAt: string}>
}

export function tokenFilePath(stateDirectory: string): string {
  return tokensFile(stateDirectory)
}

function digest(token: string): Buffer {
  return Buffer.from(sha256(token), 'hex')
}

export function loadTokens(path: string): TokenFile {
  const file = readJsonFile<TokenFile>(path)
  if (!file || !Array.isArray(file.tokens)) {
    throw new AgentgovError(`No agent tokens in ${path}.`, {exit: ExitCode.input, hint: "Create one with 'agentgov tokens add --agent NAME'."})
  }

  return file
}

/** A new random token for `agent`; the token itself is returned once and never stored. */
export function addToken(path: string, agent: string): string {
  const file = readJsonFile<TokenFile>(path) ?? {tokens: []}
  const token = `agt_${randomBytes(32).toString('base64url')}`
  file.tokens.push({agent, sha256: digest(token).toString('hex'), createdAt: new Date().toISOString()})
  writeJsonFile(path, file)
  return token
}

export function revokeTokens(path: string, agent: string): number {
  const file = readJsonFile<TokenFile>(path) ?? {tokens: []}
  const before = file.tokens.length
  file.tokens = file.tokens.filter((entry) => entry.agent !== agent)
  writeJsonFile(path, file)
  return before - file.tokens.length
}

/** The agent a presented token belongs to. Every stored digest is compared, in constant time. */
export function agentForToken(file: TokenFile, presented: string | undefined): string | undefined {
  if (!presented) return undefined
  const candidate = digest(presented)
  let agent: string | undefined
  for (const entry of file.tokens) {
    const stored = Buffer.from(entry.sha256, 'hex')
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) agent ??= entry.agent
  }

  return agent
}
