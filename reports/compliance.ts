/**
 * Compliance frameworks as tables of clauses (exact ids from ../shared/reference/owasp-and-compliance.md),
 * each mapped to the evidence rows of rows.ts that support it. A clause is covered only when none of
 * its rows is missing and every row that traces can show was observed in the window.
 */
import type {ClauseResult, Evidence, FrameworkResult, Reach, Status} from './types.js'
import {row} from './rows.js'

interface Clause {
  clause: string
  obligation: string
  rows: string[]
  /** partial: part of the obligation is organisational and beyond a tool-call layer. */
  reach?: Reach
}

interface Framework {
  id: string
  name: string
  clauses: Clause[]
}

export const FRAMEWORKS: Framework[] = [
  {
    id: 'eu-ai-act',
    name: 'EU AI Act',
    clauses: [
      {clause: 'Art. 9', obligation: 'risk-management system over the whole lifecycle', rows: ['policy-enforced', 'inventory', 'decisions-recorded'], reach: 'partial'},
      {clause: 'Art. 12(1), 12(2)', obligation: "automatic recording of events (logs) over the system's lifetime, enough to find risks, support post-market monitoring and deployer monitoring", rows: ['decisions-recorded', 'chain-verified', 'agent-identity', 'retention-six-months']},
      {clause: 'Art. 14(4)', obligation: 'human oversight: understand, monitor, override or reverse, and stop the system', rows: ['human-oversight', 'stop-control', 'decisions-recorded']},
      {clause: 'Art. 15(4)–(5)', obligation: 'resilience, fail-safe behaviour, cybersecurity', rows: ['policy-enforced', 'supplier-integrity', 'content-scanning', 'protocol-checks']},
      {clause: 'Art. 19(1), Art. 26(6)', obligation: 'keep automatically generated logs at least six months (provider, deployer)', rows: ['retention-six-months', 'chain-verified']},
      {clause: 'Art. 26(1),(2),(5)', obligation: 'deployer uses per instructions, assigns competent oversight, monitors and can suspend', rows: ['policy-enforced', 'human-oversight', 'stop-control', 'decisions-recorded']},
      {clause: 'Art. 72, 73', obligation: 'post-market monitoring; serious-incident reporting', rows: ['decisions-recorded', 'chain-verified'], reach: 'partial'},
    ],
  },
  {
    id: 'nist-ai-rmf',
    name: 'NIST AI RMF 1.0',
    clauses: [
      {clause: 'GOVERN 1.6', obligation: 'AI systems are inventoried', rows: ['inventory', 'no-shadow']},
      {clause: 'GOVERN 1.4, 1.5', obligation: 'transparent policies and controls; ongoing monitoring planned', rows: ['policy-enforced', 'decisions-recorded']},
      {clause: 'MAP 3.5', obligation: 'human oversight processes defined', rows: ['human-oversight']},
      {clause: 'MEASURE 2.4, 2.7', obligation: 'behaviour monitored in production; security and resilience evaluated', rows: ['decisions-recorded', 'content-scanning', 'supplier-integrity', 'stop-control']},
      {clause: 'MANAGE 2.4', obligation: 'mechanisms to supersede, disengage or deactivate', rows: ['stop-control', 'policy-enforced']},
      {clause: 'MANAGE 4.1, 4.3', obligation: 'post-deployment monitoring; incidents tracked', rows: ['decisions-recorded', 'chain-verified'], reach: 'partial'},
    ],
  },
  {
    id: 'iso-42001',
    name: 'ISO/IEC 42001:2023',
    clauses: [
      {clause: 'A.6.2.6', obligation: 'AI system operation and monitoring', rows: ['decisions-recorded', 'policy-enforced', 'stop-control']},
      {clause: 'A.6.2.8', obligation: 'recording of event logs', rows: ['decisions-recorded', 'chain-verified', 'agent-identity']},
      {clause: 'A.10.3', obligation: 'suppliers', rows: ['inventory', 'supplier-integrity']},
    ],
  },
  {
    id: 'soc2',
    name: 'SOC 2 (TSC 2017)',
    clauses: [
      {clause: 'CC6.1, CC6.2, CC6.3', obligation: 'logical access; register and authorise before access; least privilege', rows: ['least-privilege', 'agent-identity', 'inventory', 'no-plain-secrets']},
      {clause: 'CC6.8', obligation: 'prevent or detect unauthorised or malicious software', rows: ['supplier-integrity', 'content-scanning', 'no-shadow']},
      {clause: 'CC7.1, CC7.2, CC7.3', obligation: 'detect config changes and vulnerabilities; monitor for anomalies; evaluate events', rows: ['supplier-integrity', 'decisions-recorded', 'stop-control']},
      {clause: 'CC8.1', obligation: 'changes authorised, tested and approved', rows: ['supplier-integrity', 'human-oversight']},
    ],
  },
  {
    id: 'hipaa',
    name: 'HIPAA 45 CFR 164.312',
    clauses: [
      {clause: '(a)(1)', obligation: 'access only for persons or software programs granted rights', rows: ['least-privilege', 'policy-enforced']},
      {clause: '(b)', obligation: 'audit controls that record and examine activity (required)', rows: ['decisions-recorded', 'chain-verified']},
      {clause: '(c)(1)', obligation: 'integrity: protect against improper alteration', rows: ['chain-verified']},
      {clause: '(d)', obligation: 'person or entity authentication', rows: ['agent-identity', 'tls'], reach: 'partial'},
    ],
  },
]

export const FRAMEWORK_IDS = FRAMEWORKS.map((f) => f.id)

function assessClause(framework: Framework, clause: Clause, e: Evidence): ClauseResult {
  const rows = clause.rows.map((id) => row(id, e))
  const missing = rows.filter((r) => r.state === 'missing')
  const idle = rows.filter((r) => r.state === 'configured' && r.source === 'trace')
  const present = rows.filter((r) => r.state !== 'missing')
  let status: Status
  let why: string
  if (present.length === 0) {
    status = 'gap'
    why = 'None of the supporting evidence is present.'
  } else if (missing.length > 0) {
    status = 'partial'
    why = `Missing: ${missing.map((r) => r.label).join('; ')}.`
  } else if (idle.length > 0) {
    status = 'partial'
    why = `In place but never fired in the window: ${idle.map((r) => r.label).join('; ')}.`
  } else if (clause.reach === 'partial') {
    status = 'partial'
    why = 'The supporting evidence is present; the rest of the obligation is organisational and beyond a tool-call layer.'
  } else {
    status = 'covered'
    why = 'Every supporting control is in place and observed in the window.'
  }

  return {
    framework: framework.id,
    clause: clause.clause,
    obligation: clause.obligation,
    status,
    why,
    rows,
    missing: [...missing.map((r) => `${r.label}: ${r.detail}`), ...idle.map((r) => `${r.label}: ${r.detail}`)],
  }
}

export function assessFrameworks(ids: readonly string[], e: Evidence): FrameworkResult[] {
  return FRAMEWORKS.filter((f) => ids.includes(f.id)).map((f) => ({id: f.id, name: f.name, clauses: f.clauses.map((c) => assessClause(f, c, e))}))
}
