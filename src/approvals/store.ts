import {randomBytes} from 'node:crypto'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'

import {redactText} from '../detect/secrets.js'
import {AgentgovError, ExitCode} from '../errors.js'
import type {ApprovalAnswer, ApprovalQuestion} from './types.js'
import {readJsonFile, writeJsonFile} from '../state-files.js'
import {approvalsDir} from '../state-layout.js'

export type ApprovalStatus = 'approved' | 'cancelled' | 'denied' | 'pending' | 'timeout'

/** A call held by a proxy until a person answers. One file per approval in <state>/approvals. */
export interface Approval {
  id: string
  agent: string
  server: string
  tool: string
  /** Arguments as shown to the approver, secrets redacted. */
  args: string
  rule: string | null
  reason: string
  createdAt: string
  expiresAt: string
  /** The proxy holding the call. */
  pid: number
  status: ApprovalStatus
  approver?: string
  answeredAt?: string
}

const POLL_MS = 200

function directory(stateDirectory: string): string {
  return approvalsDir(stateDirectory)
}

function fileOf(stateDirectory: string, id: string): string {
  if (!/^[a-f0-9]{8}$/.test(id)) {
    throw new AgentgovError(`"${id}" is not an approval id.`, {exit: ExitCode.usage, hint: "Ids are 8 hex characters; 'agentgov approvals' lists them."})
  }

  return join(directory(stateDirectory), `${id}.json`)
}

export function createApproval(stateDirectory: string, question: ApprovalQuestion, now = Date.now()): Approval {
  const id = randomBytes(4).toString('hex')
  const approval: Approval = {
    id,
    agent: question.agent,
    server: question.server,
    tool: question.tool,
    args: redactText(JSON.stringify(question.args, null, 2)),
    rule: question.rule,
    reason: question.reason,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + question.timeoutMs).toISOString(),
    pid: process.pid,
    status: 'pending',
  }
  writeJsonFile(fileOf(stateDirectory, id), approval)
  return approval
}

export function readApproval(stateDirectory: string, id: string): Approval | undefined {
  return readJsonFile<Approval>(fileOf(stateDirectory, id))
}

/** Approvals newest first; only pending ones that have not expired unless `all`. */
export function listApprovals(stateDirectory: string, options: {all?: boolean; now?: number} = {}): Approval[] {
  let names: string[]
  try {
    names = readdirSync(directory(stateDirectory)).filter((name) => /^[a-f0-9]{8}\.json$/.test(name))
  } catch {
    return []
  }

  const now = options.now ?? Date.now()
  return names
    .map((name) => readJsonFile<Approval>(join(directory(stateDirectory), name)))
    .filter((a): a is Approval => a !== undefined)
    .filter((a) => options.all || (a.status === 'pending' && Date.parse(a.expiresAt) > now))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/** A person's answer. Only a pending, unexpired approval can be answered, and only once. */
export function answerApproval(stateDirectory: string, id: string, outcome: 'approved' | 'denied', approver: string): Approval {
  const approval = readApproval(stateDirectory, id)
  if (!approval) {
    throw new AgentgovError(`No approval ${id}.`, {exit: ExitCode.input, hint: "Run 'agentgov approvals' to list pending approvals."})
  }

  if (approval.status !== 'pending') {
    throw new AgentgovError(`Approval ${id} was already answered: ${approval.status}${approval.approver ? ` by ${approval.approver}` : ''}.`, {exit: ExitCode.input})
  }

  if (Date.parse(approval.expiresAt) <= Date.now()) {
    throw new AgentgovError(`Approval ${id} expired at ${approval.expiresAt}; the call was denied.`, {exit: ExitCode.input})
  }

  const answered: Approval = {...approval, status: outcome, approver, answeredAt: new Date().toISOString()}
  writeJsonFile(fileOf(stateDirectory, id), answered)
  return answered
}

/**
 * Wait for a person's answer, polling the approval's file; a timeout denies. `signal` aborts the wait
 * (the client cancelled the request, or the proxy is shutting down) and records it as cancelled.
 */
export async function waitForAnswer(stateDirectory: string, approval: Approval, signal?: AbortSignal): Promise<ApprovalAnswer> {
  const deadline = Date.parse(approval.expiresAt)
  for (;;) {
    const current = readApproval(stateDirectory, approval.id)
    if (current && (current.status === 'approved' || current.status === 'denied')) {
      return {outcome: current.status, approver: current.approver ?? 'unknown', channel: 'cli'}
    }

    const ended = signal?.aborted ? 'cancelled' : Date.now() >= deadline ? 'timeout' : undefined
    if (ended) {
      writeJsonFile(fileOf(stateDirectory, approval.id), {...(current ?? approval), status: ended, answeredAt: new Date().toISOString(), approver: ended})
      return {outcome: ended, approver: ended, channel: 'cli'}
    }

    // An abort wakes the wait at once: a proxy shutting down would otherwise exit before the next
    // poll and leave the approval pending forever.
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        resolve()
      }

      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', wake)
        resolve()
      }, Math.min(POLL_MS, Math.max(1, deadline - Date.now())))
      signal?.addEventListener('abort', wake, {once: true})
    })
  }
}
