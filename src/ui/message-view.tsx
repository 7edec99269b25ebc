import {Box, Text} from 'ink'

/** A few lines of plain outcome ("Wrote …", "Granted …"), each with an optional colour. */
export function MessageView({lines}: {lines: Array<{text: string; color?: string; dim?: boolean}>}) {
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} color={l.color} dimColor={l.dim}>
          {l.text}
        </Text>
      ))}
    </Box>
  )
}
