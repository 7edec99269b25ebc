import type {Counter, Evidence, Reach, RiskResult, Status} from './types.js'

/** What one evidence function concludes about one risk. */
export type Assessment = Pick<RiskResult, 'controls' | 'evidence' | 'examples' | 'gaps' | 'status' | 'why'>

export type EvidenceFn = (e: Evidence) => Assessment

/**
 * The one grading rule: covered needs a control in place AND evidence that it operated in the window;
 * a control that never fired is partial and says so; no control and no evidence is a gap. The reach
 * of a tool-call layer caps the result (a partial-reach risk is never covered).
 */
export function grade(input: {configured: boolean; fired: boolean; reach: Reach; weakened?: string; subject: string}): {status: Status; why: string} {
  const {configured, fired, reach, weakened, subject} = input
  if (reach === 'out-of-reach') return {status: 'out-of-reach', why: `${subject} is outside what a tool-call layer can see.`}
  if (!configured && !fired) return {status: 'gap', why: `No control for ${subject} is in place and nothing in the window shows one.`}
  if (configured && !fired) return {status: 'partial', why: `Controls for ${subject} are in place but never fired in the window: no runtime evidence yet.`}
  if (!configured) return {status: 'partial', why: `Traces show controls for ${subject} operating, but the current policy does not hold them.`}
  if (weakened) return {status: 'partial', why: weakened}
  if (reach === 'partial') return {status: 'partial', why: `Controls for ${subject} are in place and fired, but part of this risk is beyond a tool-call layer.`}
  return {status: 'covered', why: `Controls for ${subject} are in place and fired in the window.`}
}

export function ids(...counters: Counter[]): string[] {
  return [...new Set(counters.flatMap((c) => c.examples))].slice(0, 3)
}

export function chainOk(e: Evidence): boolean | undefined {
  if (e.runtime.chain.length === 0) return undefined
  return e.runtime.chain.every((c) => c.ok)
}

export function chainLine(e: Evidence): string {
  const ok = chainOk(e)
  if (ok === undefined) return 'chain not verified (no local store read)'
  const records = e.runtime.chain.reduce((n, c) => n + c.records, 0)
  return ok ? `hash chain verified (${records} records)` : `hash chain BROKEN: ${e.runtime.chain.flatMap((c) => c.problems)[0] ?? 'see traces verify'}`
}

export function pct(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`
}
