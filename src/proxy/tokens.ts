import {randomBytes, timingSafeEqual} from 'node:crypto'
import {type FSWatcher, statSync, watch} from 'node:fs'
import {basename, dirname} from 'node:path'

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

/**
 * Who a presented token names, and the token's digest (what a session is held under). Every stored
 * digest is compared, in constant time.
 */
function tokenHolder(file: TokenFile, presented: string | undefined): {agent: string; sha256: string} | undefined {
  if (!presented) return undefined
  const candidate = digest(presented)
  let found: {agent: string; sha256: string} | undefined
  for (const entry of file.tokens) {
    const stored = Buffer.from(entry.sha256, 'hex')
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) found ??= {agent: entry.agent, sha256: entry.sha256}
  }

  return found
}

/**
 * The token file as it is now, not as it was at start: a revoked token is refused at its next
 * request. fs.watch tells of a change at once where it works; each lookup also compares the file's
 * identity (inode, size, change and modification times) with the one last read, since fs.watch misses
 * events on some file systems and after a rename. A file that becomes unreadable or malformed holds no
 * tokens (fail closed), said loudly. `onchange` runs after every reload, so live sessions of a revoked
 * token can be ended.
 */
export class TokenWatch {
  onchange?: () => void
  private file: TokenFile
  private stamp: string
  private readonly watcher?: FSWatcher

  constructor(
    private readonly path: string,
    private readonly log: (message: string) => void,
  ) {
    this.stamp = stampOf(path)
    this.file = loadTokens(path)
    try {
      this.watcher = watch(dirname(path), {persistent: false}, (_event, name) => {
        if (name === null || name === basename(path)) this.refresh()
      })
    } catch {
      // No watching here: the check on every lookup still sees each change.
    }
  }

  /** The agent and token digest for a presented token, after reading the file again if it changed. */
  identify(presented: string | undefined): {agent: string; sha256: string} | undefined {
    this.refresh()
    return tokenHolder(this.file, presented)
  }

  /** Whether a token, by its digest, is still in the file. */
  holds(sha256: string): boolean {
    return this.file.tokens.some((entry) => entry.sha256 === sha256)
  }

  close(): void {
    this.watcher?.close()
  }

  private refresh(): void {
    const stamp = stampOf(this.path)
    if (stamp === this.stamp) return
    this.stamp = stamp
    const file = readJsonFile<TokenFile>(this.path)
    if (file && Array.isArray(file.tokens)) {
      this.file = {tokens: file.tokens.filter((entry) => typeof entry?.agent === 'string' && typeof entry.sha256 === 'string')}
    } else {
      this.file = {tokens: []}
      this.log(`TOKENS UNREADABLE: ${this.path} is missing or not a token file, so every agent token is refused until it is fixed`)
    }

    this.onchange?.()
  }
}

/** What tells one version of the file from another without reading it. */
function stampOf(path: string): string {
  try {
    const s = statSync(path, {bigint: true})
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
  } catch {
    return 'missing'
  }
}
