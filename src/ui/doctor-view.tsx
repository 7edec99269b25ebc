import {Box, Text} from 'ink'

import type {Check, DoctorReport} from '../wrap/doctor.js'
import {tildify} from './text.js'

function Line({label, check}: {label: string; check: Check}) {
  return (
    <Box flexDirection="column">
      <Text>
        {'  '}
        <Text color={check.ok ? 'green' : 'red'}>{(check.ok ? 'ok' : 'broken').padEnd(8)}</Text>
        {label}
        {check.problem ? <Text color="red">: {check.problem}</Text> : null}
      </Text>
      {check.fix ? <Text>{'          '}fix: <Text color="cyan">{check.fix}</Text></Text> : null}
    </Box>
  )
}

/** `agentgov doctor`: the state directory and token file, then every wrapped entry, then one verdict. */
export function DoctorView({report, home}: {report: DoctorReport; home: string}) {
  const path = (p: string) => tildify(p, home)
  return (
    <Box flexDirection="column">
      <Line label={`state directory ${path(report.stateDir.path)}`} check={report.stateDir} />
      <Line label={`token file ${path(report.tokens.path)}`} check={report.tokens} />
      {report.entries.map((e) => (
        <Box key={`${e.file}:${e.client}:${e.project ?? ''}:${e.name}`} flexDirection="column" marginTop={1}>
          <Text>
            <Text color="cyan">{e.name}</Text>
            <Text dimColor> ({e.client}, {path(e.file)})</Text>
          </Text>
          <Line label={`launcher (${e.launcher.form}${e.launcher.version ? `, agentgov ${e.launcher.version}` : ''})`} check={e.launcher} />
          <Line label={`policy ${path(e.policy.file)}`} check={e.policy} />
        </Box>
      ))}
      <Box marginTop={1}>
        <Text color={report.summary.ok ? 'green' : 'red'}>
          {report.summary.entries === 0 ? 'No wrapped servers found. ' : `${report.summary.entries - report.summary.broken} of ${report.summary.entries} wrapped server(s) will start. `}
          {report.summary.ok ? 'Everything checks out.' : 'Run the fixes above, then agentgov doctor again.'}
        </Text>
      </Box>
    </Box>
  )
}
