import {Box, Text} from 'ink'

import type {Diagnostic} from '../policy/ast.js'
import type {CaseResult} from '../policy/cases.js'
import type {Explanation, RuleOutcome} from '../policy/explain.js'
import type {LintResult} from '../policy/lint.js'
import type {Action, Decision, Grant} from '../policy/types.js'

const ACTION_COLOR: Record<Action, string> = {allow: 'green', audit: 'cyan', deny: 'red', human_approval: 'yellow'}

function DecisionLine({decision}: {decision: Decision}) {
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color={ACTION_COLOR[decision.action]}>
          {decision.action}
        </Text>
        <Text dimColor>
          {' '}
          {decision.policy ? `policy ${decision.policy}, rule ${decision.rule}` : 'no rule (default)'}
          {decision.limit ? `, limit ${decision.limit}` : ''}
          {decision.grant ? `, grant ${decision.grant}` : ''}
        </Text>
      </Text>
      <Text>{decision.reason}</Text>
      {decision.condition ? <Text dimColor>condition: {decision.condition}</Text> : null}
    </Box>
  )
}

function DiagnosticLine({d}: {d: Diagnostic}) {
  return (
    <Text>
      <Text color={d.severity === 'error' ? 'red' : 'yellow'}>{d.severity}</Text>{' '}
      <Text color="cyan">
        {d.file}:{d.line}:{d.col}
      </Text>{' '}
      {d.message} <Text dimColor>({d.code})</Text>
    </Text>
  )
}

export function LintView({result}: {result: LintResult}) {
  const all = [...result.errors, ...result.warnings].sort((a, b) => a.line - b.line || a.col - b.col)
  return (
    <Box flexDirection="column">
      {all.map((d, i) => (
        <DiagnosticLine key={i} d={d} />
      ))}
      <Text>
        {result.errors.length === 0 ? <Text color="green">ok</Text> : <Text color="red">invalid</Text>}{' '}
        <Text dimColor>
          {result.file}: {result.policies} polic{result.policies === 1 ? 'y' : 'ies'}, {result.rules} rule{result.rules === 1 ? '' : 's'}, {result.errors.length} error
          {result.errors.length === 1 ? '' : 's'}, {result.warnings.length} warning{result.warnings.length === 1 ? '' : 's'}
        </Text>
      </Text>
    </Box>
  )
}

export function CasesView({results}: {results: CaseResult[]}) {
  const failed = results.filter((r) => !r.passed).length
  return (
    <Box flexDirection="column">
      {results.map((r, i) => (
        <Box key={i} flexDirection="column">
          <Text>
            {r.passed ? <Text color="green">pass</Text> : <Text color="red">FAIL</Text>} {r.name}{' '}
            <Text dimColor>
              (line {r.line}: {r.decision.action}
              {r.decision.rule ? ` by ${r.decision.rule}` : ''})
            </Text>
          </Text>
          {r.mismatch ? <Text color="red">{'     '}{r.mismatch}</Text> : null}
        </Box>
      ))}
      <Text>
        {failed === 0 ? <Text color="green">{results.length} passed</Text> : <Text color="red">{failed} of {results.length} failed</Text>}
      </Text>
    </Box>
  )
}

const OUTCOME_WORDS: Record<RuleOutcome, string> = {
  'condition-false': 'condition false',
  'condition-undecided-skipped': 'condition undecided: an allow rule does not apply',
  matched: 'MATCHED',
  'matched-undecided': 'MATCHED (condition undecided: a deny or approval rule applies)',
  'not-reached': 'not reached',
  'other-stage': 'other stage',
  'tool-differs': 'tool does not match',
}

export function ExplainView({explanation}: {explanation: Explanation}) {
  const {call} = explanation
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>
          {call.agent} → {call.server}.{call.tool}
        </Text>
        <Text dimColor> ({call.stage}) args {JSON.stringify(call.args)}</Text>
      </Text>
      <Box marginTop={1} marginBottom={1}>
        <DecisionLine decision={explanation.decision} />
      </Box>
      <Text dimColor>Path (policies by agent specificity, rules in order, first match wins):</Text>
      {explanation.policies.map((p) => (
        <Box key={p.name} flexDirection="column" marginLeft={2}>
          <Text>
            policy <Text bold>{p.name}</Text> <Text dimColor>agent {p.agent}</Text>
            {p.applies ? '' : <Text dimColor> (does not apply to this agent)</Text>}
          </Text>
          {p.applies
            ? p.rules
                .filter((r) => r.outcome !== 'tool-differs' && r.outcome !== 'not-reached')
                .map((r) => (
                  <Text key={r.id}>
                    {'    '}
                    <Text color={r.outcome.startsWith('matched') ? ACTION_COLOR[r.action as Action] : undefined}>{r.id}</Text>{' '}
                    <Text dimColor>
                      line {r.line} {r.action}: {OUTCOME_WORDS[r.outcome]}
                      {r.condition && !r.outcome.startsWith('matched') ? ` (${r.condition})` : ''}
                    </Text>
                  </Text>
                ))
            : null}
        </Box>
      ))}
    </Box>
  )
}

export function GrantsView({grants, now, title}: {grants: Grant[]; now: number; title: string}) {
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      {grants.length === 0 ? <Text dimColor>No grants.</Text> : null}
      {grants.map((g) => (
        <Text key={g.id}>
          <Text color="cyan">{g.id}</Text> agent <Text bold>{g.agent}</Text> tools {g.tools.join(', ')}{' '}
          {now < g.expiresAt ? <Text color="green">until {new Date(g.expiresAt).toISOString()}</Text> : <Text dimColor>expired {new Date(g.expiresAt).toISOString()}</Text>}
          <Text dimColor> by {g.createdBy}</Text>
        </Text>
      ))}
    </Box>
  )
}
