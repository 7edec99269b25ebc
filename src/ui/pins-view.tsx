import {Box, Text} from 'ink'

import type {DiffPart} from '../proxy/pin-diff.js'
import type {ServerPinReport, ToolPinReport} from '../proxy/pin-report.js'

/** A word diff in git's plain markers (`[-gone-]`, `{+new+}`), coloured too: readable with NO_COLOR. */
function Diff({parts}: {parts: DiffPart[]}) {
  return (
    <Text>
      {parts.map((part, i) =>
        part.op === 'same' ? (
          <Text key={i}>{part.text}</Text>
        ) : part.op === 'added' ? (
          <Text key={i} color="green">{`{+${part.text}+}`}</Text>
        ) : (
          <Text key={i} color="red">{`[-${part.text}-]`}</Text>
        ),
      )}
    </Text>
  )
}

function Change({tool}: {tool: ToolPinReport}) {
  return (
    <Box flexDirection="column" marginLeft={4}>
      {tool.renamedFrom === undefined ? null : (
        <Text color="yellow">
          looks like {tool.renamedFrom}, a pinned tool that left the listing ({tool.likeness?.how}, {tool.likeness?.score.toFixed(2)}): a rename rug pull
        </Text>
      )}
      {tool.diff === undefined ? (
        <Text dimColor>the definition it replaces was pinned by an older agentgov, which kept only its hash</Text>
      ) : (
        tool.diff.map((field) => (
          <Text key={field.field}>
            <Text dimColor>{`${field.field}: `}</Text>
            <Diff parts={field.parts} />
          </Text>
        ))
      )}
    </Box>
  )
}

function Tool({tool, detail}: {tool: ToolPinReport; detail: boolean}) {
  if (!tool.changed && !detail) return null
  return (
    <Box flexDirection="column" marginLeft={2}>
      <Text>
        <Text color={tool.changed ? 'red' : 'green'}>{tool.changed ? 'CHANGED ' : 'pinned  '}</Text>
        {tool.name}
        <Text dimColor>
          {' '}
          (pinned {tool.pinnedAt}
          {tool.changedAt ? `, changed ${tool.changedAt}` : ''})
        </Text>
      </Text>
      {tool.changed ? <Change tool={tool} /> : null}
    </Box>
  )
}

/** `pins list` (every server, changed tools with their diff) and `pins show` (every tool of one server). */
export function PinsView({servers, detail}: {servers: ServerPinReport[]; detail: boolean}) {
  if (servers.length === 0) return <Text>No tool definitions are pinned yet.</Text>
  const waiting = servers.flatMap((s) => s.tools.filter((t) => t.changed).map((t) => ({server: s.server, tool: t.tool})))
  return (
    <Box flexDirection="column">
      {servers.map((server) => (
        <Box key={server.server} flexDirection="column">
          <Text>
            <Text color="cyan">{server.server}</Text>: {server.tools.length} tool(s) pinned
            {server.tools.some((t) => t.changed) ? <Text color="red">, {server.tools.filter((t) => t.changed).length} changed</Text> : null}
          </Text>
          {server.tools.map((tool) => (
            <Tool key={tool.tool} tool={tool} detail={detail} />
          ))}
        </Box>
      ))}
      {waiting.length > 0 ? (
        <Box marginTop={1}>
          <Text>Review each change, then accept it with: agentgov pins accept {waiting[0].server} {waiting[0].tool}</Text>
        </Box>
      ) : null}
    </Box>
  )
}
