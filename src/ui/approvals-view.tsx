import {Box, Text, useApp, useInput} from 'ink'
import {useEffect, useState} from 'react'

import {type Approval, answerApproval, listApprovals} from '../approvals/store.js'
import {shown} from './text.js'

interface Props {
  stateDir: string
  approver: string
  /** Keep watching for new approvals (interactive); otherwise render the list once. */
  interactive: boolean
}

/** Pending approvals, refreshed as proxies add them; ↑/↓ to choose, a to approve, d to deny, q to quit. */
export function ApprovalsView({stateDir, approver, interactive}: Props) {
  const {exit} = useApp()
  const [approvals, setApprovals] = useState<Approval[]>(() => listApprovals(stateDir))
  const [selected, setSelected] = useState(0)
  const [message, setMessage] = useState<string>()
  const [now, setNow] = useState(Date.now())

  useEffect(() => {
    if (!interactive) return
    const timer = setInterval(() => {
      setApprovals(listApprovals(stateDir))
      setNow(Date.now())
    }, 300)
    return () => clearInterval(timer)
  }, [interactive, stateDir])

  useInput(
    (input, key) => {
      if (input === 'q' || key.escape) exit()
      else if (key.upArrow) setSelected((i) => Math.max(0, i - 1))
      else if (key.downArrow) setSelected((i) => Math.min(approvals.length - 1, i + 1))
      else if ((input === 'a' || input === 'd') && approvals[selected]) {
        const target = approvals[selected]
        try {
          answerApproval(stateDir, target.id, input === 'a' ? 'approved' : 'denied', approver)
          setMessage(`${input === 'a' ? 'Approved' : 'Denied'} ${target.id}: ${shown(`${target.server}.${target.tool}`)}`)
        } catch (error) {
          setMessage((error as Error).message)
        }

        setApprovals(listApprovals(stateDir))
        setSelected(0)
      }
    },
    {isActive: interactive},
  )

  return (
    <Box flexDirection="column">
      {approvals.length === 0 ? <Text dimColor>No calls are waiting for approval.</Text> : null}
      {approvals.map((approval, index) => (
        <Box key={approval.id} flexDirection="column" marginBottom={1}>
          <Text>
            <Text color={index === selected && interactive ? 'cyan' : undefined}>{index === selected && interactive ? '› ' : '  '}</Text>
            <Text bold>{shown(approval.id)}</Text> <Text>{shown(approval.agent)}</Text> → <Text bold>{shown(`${approval.server}.${approval.tool}`)}</Text>{' '}
            <Text dimColor>({Math.max(0, Math.round((Date.parse(approval.expiresAt) - now) / 1000))} s left)</Text>
          </Text>
          <Box marginLeft={4} flexDirection="column">
            <Text dimColor>{shown(`${approval.rule ? `rule ${approval.rule}: ` : ''}${approval.reason}`)}</Text>
            <Text>{shown(approval.args, {lines: true})}</Text>
          </Box>
        </Box>
      ))}
      {message ? <Text color="green">{message}</Text> : null}
      {interactive ? <Text dimColor>↑/↓ choose · a approve · d deny · q quit</Text> : null}
    </Box>
  )
}
