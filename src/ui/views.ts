import type {ComponentProps} from 'react'

/**
 * Every view a command renders, by name, each loaded only when it is shown: a command that prints
 * JSON, and the proxy above all, never loads ink, React or a view.
 */
export const VIEWS = {
  approvals: async () => (await import('./approvals-view.js')).ApprovalsView,
  discover: async () => (await import('./discover-view.js')).DiscoverView,
  doctor: async () => (await import('./doctor-view.js')).DoctorView,
  message: async () => (await import('./message-view.js')).MessageView,
  'policy-cases': async () => (await import('./policy-view.js')).CasesView,
  'policy-explain': async () => (await import('./policy-view.js')).ExplainView,
  'policy-grants': async () => (await import('./policy-view.js')).GrantsView,
  'policy-lint': async () => (await import('./policy-view.js')).LintView,
  pins: async () => (await import('./pins-view.js')).PinsView,
  report: async () => (await import('./report-view.js')).ReportView,
  scan: async () => (await import('./scan-view.js')).ScanView,
  'traces-detail': async () => (await import('./traces-view.js')).RecordDetail,
  'traces-list': async () => (await import('./traces-view.js')).RecordList,
  'traces-tail': async () => (await import('./traces-view.js')).TailView,
  'wrap-status': async () => (await import('./wrap-view.js')).StatusView,
  wrap: async () => (await import('./wrap-view.js')).WrapView,
}

export type ViewName = keyof typeof VIEWS
export type ViewProps<N extends ViewName> = ComponentProps<Awaited<ReturnType<(typeof VIEWS)[N]>>>
