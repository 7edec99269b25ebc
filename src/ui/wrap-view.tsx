import {Box, Text} from 'ink'

import type {ServerAction} from '../wrap/index.js'
import type {StatusReport, WrapReport} from '../wrap/run.js'
import {tildify} from './text.js'

const ACTION_COLOR: Record<ServerAction, string> = {
  wrapped: 'green',
  restored: 'green',
  'already-governed': 'cyan',
  repaired: 'green',
  skipped: 'yellow',
  left: 'yellow',
  gone: 'gray',
}

/** `agentgov wrap` and `unwrap`: warnings first (they matter before anything else), then file by file. */
export function WrapView({report, home}: {report: WrapReport; home: string}) {
  const path = (p: string) => tildify(p, home)
  const verb = report.command === 'wrap' ? 'wrapped' : 'restored'
  return (
    <Box flexDirection="column">
      {report.warnings.map((w) => (
        <Text key={`${w.file}:${w.line ?? 0}:${w.message}`} color="yellow">
          warning: {path(w.file)}
          {w.line ? `:${w.line}` : ''}: {w.message}
        </Text>
      ))}
      {report.files.map((file) => (
        <Box key={file.file} flexDirection="column" marginTop={1}>
          <Text>
            <Text color="cyan">{path(file.file)}</Text>
            <Text dimColor> ({file.clients.join(', ')})</Text>
            {file.status === 'error' ? <Text color="red"> {file.message}</Text> : null}
            {file.status === 'unchanged' ? <Text dimColor> unchanged</Text> : null}
            {file.status === 'changed' ? <Text color="green"> {report.dryRun ? 'would change' : 'changed'}{file.restore === 'exact' ? ' (restored byte for byte)' : file.restore === 'entries' ? ' (entries restored, your other edits kept)' : ''}</Text> : null}
          </Text>
          {file.servers.map((s) => (
            <Text key={`${s.client}:${s.project ?? ''}:${s.name}`}>
              {'  '}
              <Text color={ACTION_COLOR[s.action]}>{s.action.padEnd(16)}</Text> {s.name}
              {s.project ? <Text dimColor> ({path(s.project)})</Text> : null}
              {s.reason ? <Text dimColor> {s.reason}</Text> : null}
            </Text>
          ))}
        </Box>
      ))}
      {report.skipped.map((s) => (
        <Text key={`${s.client}:${s.file}`} dimColor>
          skipped {path(s.file)} ({s.client}): {s.reason}
        </Text>
      ))}
      <Box marginTop={1}>
        <Text>
          {report.files.length === 0
            ? 'No MCP client configs selected.'
            : `${report.dryRun ? 'Dry run: ' : ''}${report.summary.changed} of ${report.summary.files} file(s) ${report.dryRun ? 'would change' : 'changed'}; ${report.command === 'wrap' ? report.summary.wrapped : report.summary.restored} server(s) ${verb}, ${report.summary.repaired > 0 ? `${report.summary.repaired} repaired, ` : ''}${report.summary.alreadyGoverned} already governed, ${report.summary.leftUnchanged} left unchanged${report.summary.errors > 0 ? `, ${report.summary.errors} file(s) failed` : ''}.`}
        </Text>
      </Box>
    </Box>
  )
}

export function StatusView({report, home}: {report: StatusReport; home: string}) {
  const path = (p: string) => tildify(p, home)
  return (
    <Box flexDirection="column">
      {report.files.map((file) => (
        <Box key={file.file} flexDirection="column" marginBottom={1}>
          <Text>
            <Text color="cyan">{path(file.file)}</Text>
            <Text dimColor> ({file.clients.join(', ')})</Text>
            {file.wrappedAt ? <Text dimColor> wrapped {file.wrappedAt}</Text> : null}
            {file.changedSinceWrap ? <Text color="yellow"> changed since wrap</Text> : null}
            {file.error ? <Text color="red"> {file.error}</Text> : null}
          </Text>
          {file.servers.map((s) => (
            <Text key={`${s.client}:${s.project ?? ''}:${s.name}`}>
              {'  '}
              {s.launcher && !s.launcher.ok ? <Text color="red">{'broken'.padEnd(12)}</Text> : <Text color={s.wrapped ? 'green' : 'yellow'}>{(s.wrapped ? 'wrapped' : 'not wrapped').padEnd(12)}</Text>} {s.name}
              {s.project ? <Text dimColor> ({path(s.project)})</Text> : null}
              {s.wrapped && !s.recorded ? <Text dimColor> (no record: wrapped elsewhere or by an older agentgov)</Text> : null}
              {s.launcher && !s.launcher.ok ? <Text color="red"> {s.launcher.problem}</Text> : null}
            </Text>
          ))}
        </Box>
      ))}
      <Text>
        {report.summary.wrapped} of {report.summary.servers} server(s) wrapped in {report.summary.files} file(s)
        {report.summary.changedSinceWrap > 0 ? `; ${report.summary.changedSinceWrap} file(s) changed since wrap` : ''}
        {report.summary.broken > 0 ? `; ${report.summary.broken} wrapped server(s) will not start: run 'agentgov doctor'` : ''}.
      </Text>
    </Box>
  )
}
