import {Box, Static, Text} from 'ink'
import {useEffect, useState} from 'react'

import {subjectText} from '../telemetry/record.js'
import type {StoredRecord} from '../telemetry/types.js'
import {shown} from './text.js'

const ACTION_COLOR: Record<string, string> = {allow: 'green', audit: 'cyan', deny: 'red', human_approval: 'yellow'}

export function RecordRow({record}: {record: StoredRecord}) {
  const time = new Date(record.time).toISOString().replace('T', ' ').slice(0, 23)
  // A row is one line of what servers and agents chose: every field escaped, newlines too.
  const where = shown(record.tool ? `${record.server}.${record.tool}` : record.server)
  const label = record.kind === 'decision' ? (record.action ?? '?') : record.kind === 'approval' ? `approval:${record.approval?.outcome}` : `trust:${record.trust?.ok === false ? 'fail' : 'ok'}`
  const color = record.kind === 'decision' ? ACTION_COLOR[record.action ?? ''] : record.kind === 'approval' ? 'yellow' : record.trust?.ok === false ? 'red' : 'gray'
  const detail = record.kind === 'decision' ? record.reason : record.kind === 'approval' ? `by ${record.approval?.approver} via ${record.approval?.channel}` : record.trust && subjectText(record.trust.subject)
  return (
    <Box>
      <Text dimColor>{time} </Text>
      <Box width={18}>
        <Text color={color} bold>
          {label}
        </Text>
      </Box>
      <Box width={16}>
        <Text>{shown(record.agent)}</Text>
      </Box>
      <Box width={32}>
        <Text>{where}</Text>
      </Box>
      <Text dimColor>{record.rule ? `${shown(record.rule)}: ` : ''}</Text>
      <Text>{shown(detail ?? '')}</Text>
    </Box>
  )
}

export function RecordList({records, empty}: {records: StoredRecord[]; empty: string}) {
  if (records.length === 0) return <Text dimColor>{empty}</Text>
  return (
    <Box flexDirection="column">
      {records.map((r) => (
        <RecordRow key={r.id} record={r} />
      ))}
      <Text dimColor>{records.length} record(s)</Text>
    </Box>
  )
}

export function RecordDetail({record}: {record: StoredRecord}) {
  const rows = Object.entries(record).filter(([, v]) => v !== undefined)
  return (
    <Box flexDirection="column">
      {rows.map(([key, value]) => (
        <Box key={key}>
          <Box width={12}>
            <Text bold>{key}</Text>
          </Box>
          <Text>{shown(typeof value === 'string' ? value : JSON.stringify(value))}</Text>
        </Box>
      ))}
    </Box>
  )
}

/** The live view: past rows are printed once (Static), a status line stays at the bottom. */
export function TailView({initial, subscribe, dir}: {initial: StoredRecord[]; subscribe: (push: (records: StoredRecord[]) => void) => () => void; dir: string}) {
  const [rows, setRows] = useState(initial)
  useEffect(() => subscribe((records) => setRows((previous) => [...previous, ...records])), [subscribe])
  return (
    <>
      <Static items={rows}>{(record) => <RecordRow key={record.id} record={record} />}</Static>
      <Text dimColor>
        following {dir} · {rows.length} shown · Ctrl-C to stop
      </Text>
    </>
  )
}
