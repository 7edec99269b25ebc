import {listApprovals} from '../../src/approvals/store.js'

/**
 * The id of the newest pending approval once one appears. Read through the store's own listing, so a
 * file caught between its temporary write and its rename is never taken for an approval.
 */
export async function pendingApprovalId(stateDir: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [approval] = listApprovals(stateDir)
    if (approval) return approval.id
    if (Date.now() > deadline) throw new Error('no pending approval appeared')
    await new Promise((resolve) => setTimeout(resolve, 30))
  }
}
