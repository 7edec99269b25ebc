/**
 * OTEL_TRACES_SAMPLER as the SDK's own samplers. The proxy asks on the call's path (it forwards the
 * sampled flag upstream before any span exists) and the export worker's SDK is given the same
 * sampler: both are deterministic in the trace id and the parent's flag, so they agree.
 */
import {type Attributes, ROOT_CONTEXT, SamplingDecision, SpanKind, trace, TraceFlags} from '@opentelemetry/api'
import {AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, type Sampler, TraceIdRatioBasedSampler} from '@opentelemetry/sdk-trace'

import type {SamplerName, SamplerSpec} from './config.js'

const ROOTS: Record<SamplerName, (ratio: number) => {root: Sampler; parentBased: boolean}> = {
  always_on: () => ({root: new AlwaysOnSampler(), parentBased: false}),
  always_off: () => ({root: new AlwaysOffSampler(), parentBased: false}),
  traceidratio: (ratio) => ({root: new TraceIdRatioBasedSampler(ratio), parentBased: false}),
  parentbased_always_on: () => ({root: new AlwaysOnSampler(), parentBased: true}),
  parentbased_always_off: () => ({root: new AlwaysOffSampler(), parentBased: true}),
  parentbased_traceidratio: (ratio) => ({root: new TraceIdRatioBasedSampler(ratio), parentBased: true}),
}

export function samplerFor(spec: SamplerSpec): Sampler {
  const {root, parentBased} = ROOTS[spec.name](spec.ratio)
  return parentBased ? new ParentBasedSampler({root}) : root
}

const NO_ATTRIBUTES: Attributes = {}

/** Whether a span of this trace is sampled; parent: the caller's (remote) span, when there is one. */
export function sampledBy(sampler: Sampler, traceId: string, parent: {spanId: string; sampled: boolean} | undefined): boolean {
  const context = parent
    ? trace.setSpanContext(ROOT_CONTEXT, {traceId, spanId: parent.spanId, traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true})
    : ROOT_CONTEXT
  return sampler.shouldSample(context, traceId, '', SpanKind.SERVER, NO_ATTRIBUTES, []).decision === SamplingDecision.RECORD_AND_SAMPLED
}
