/**
 * The policy the end-to-end tests put in front of the real filesystem server (served as `fs`): the
 * secret folder under `root` is denied, reads are allowed, writes wait for a person, and every
 * other tool is hidden by deny-by-default. Tests differ only in what the options say.
 */
export function filesystemPolicy(
  root: string,
  options: {approvalTimeout?: string; pinning?: 'block' | 'off' | 'warn'; reads?: string[]; moreRules?: string; approveInClient?: string[]} = {},
): string {
  const reads = ['fs.read_*', 'fs.list_*', ...(options.reads ?? [])].map((t) => JSON.stringify(t)).join(', ')
  return `version: 1
settings:
  approval_timeout: ${options.approvalTimeout ?? '1s'}
${options.pinning ? `  pinning: ${options.pinning}\n` : ''}${options.approveInClient ? `  approve_in_client: ${JSON.stringify(options.approveInClient)}\n` : ''}policies:
  - name: filesystem
    agent: "*"
    rules:
      - id: no-secrets
        tools: ["fs.*"]
        when: {arg: path, under: "${root}/secret"}
        action: deny
        reason: The secret folder is off limits.
      - id: reads
        tools: [${reads}]
        action: allow
      - id: writes-need-a-person
        tools: ["fs.write_file"]
        action: human_approval
        reason: Writes need a person.
${options.moreRules ?? ''}`
}
