import {existsSync, readFileSync} from 'node:fs'

import {statusLabel} from './markdown.js'
import type {Report, Status} from '../../reports/types.js'

// The same module runs from src/ (tests) and dist/src/ (the CLI): the template is at the package root.
const TEMPLATE = ['../../templates/report.html', '../../../templates/report.html'].map((p) => new URL(p, import.meta.url)).find((url) => existsSync(url))

const esc = (text: unknown) => String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
const ACTION_COLOURS: Record<string, string> = {allow: 'var(--allow)', audit: 'var(--audit)', human_approval: 'var(--approval)', deny: 'var(--deny)'}
const STATUS_COLOURS: Record<Status, string> = {covered: 'var(--covered)', partial: 'var(--partial)', gap: 'var(--gap)', 'out-of-reach': 'var(--out)'}
const ACTIONS = ['allow', 'audit', 'human_approval', 'deny'] as const

function badge(status: Status): string {
  return `<span class="status ${status}" data-status="${status}">${esc(statusLabel(status))}</span>`
}

/** Stacked bars of decisions per time bucket. */
function timelineChart(report: Report): string {
  const {buckets, bucketMs} = report.evidence.runtime.timeline
  const w = 520
  const h = 180
  const pad = 28
  const max = Math.max(1, ...buckets.map((b) => b.allow + b.audit + b.deny + b.human_approval))
  const bw = (w - pad * 2) / Math.max(1, buckets.length)
  const bars: string[] = []
  buckets.forEach((b, i) => {
    let y = h - pad
    for (const action of ACTIONS) {
      const n = b[action]
      if (n === 0) continue
      const bh = ((h - pad * 2) * n) / max
      y -= bh
      bars.push(`<rect class="bar" x="${(pad + i * bw + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${ACTION_COLOURS[action]}"><title>${esc(new Date(b.start).toISOString())}: ${n} ${action}</title></rect>`)
    }
  })
  const first = buckets[0] ? new Date(buckets[0].start).toISOString().slice(0, 16).replace('T', ' ') : ''
  const last = buckets.length ? new Date(buckets[buckets.length - 1].start + bucketMs).toISOString().slice(0, 16).replace('T', ' ') : ''
  return `<svg id="chart-timeline" role="img" aria-label="Decisions over time" viewBox="0 0 ${w} ${h}" width="100%">
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#8c959f"/>
<text x="${pad}" y="${h - 8}">${esc(first)}</text><text x="${w - pad}" y="${h - 8}" text-anchor="end">${esc(last)}</text><text x="${pad}" y="14">max ${max} / bucket</text>
${bars.join('\n')}</svg>`
}

/** Horizontal stacked bars per agent. */
function agentChart(report: Report): string {
  const agents = Object.entries(report.evidence.runtime.agents).sort((a, b) => b[1].decisions - a[1].decisions).slice(0, 12)
  const w = 520
  const row = 22
  const h = Math.max(40, agents.length * row + 16)
  const left = 130
  const max = Math.max(1, ...agents.map(([, f]) => f.decisions))
  const parts: string[] = []
  agents.forEach(([name, f], i) => {
    const y = 8 + i * row
    parts.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(name || '(none)')}</text>`)
    let x = left
    for (const [key, n, colour] of [['allowed', f.allowed, 'var(--allow)'], ['audited', f.audited, 'var(--audit)'], ['approvals', f.approvals, 'var(--approval)'], ['denied', f.denied, 'var(--deny)']] as const) {
      if (n === 0) continue
      const bw = ((w - left - 40) * n) / max
      parts.push(`<rect class="bar" x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(1, bw).toFixed(1)}" height="${row - 8}" fill="${colour}"><title>${esc(name)}: ${n} ${key}</title></rect>`)
      x += bw
    }

    parts.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 14}">${f.decisions}</text>`)
  })
  if (agents.length === 0) parts.push(`<text x="${w / 2}" y="24" text-anchor="middle">no decision in the window</text>`)
  return `<svg id="chart-agents" role="img" aria-label="Decisions per agent" viewBox="0 0 ${w} ${h}" width="100%">${parts.join('\n')}</svg>`
}

/** One square per risk, coloured by status. */
function riskChart(report: Report): string {
  const risks = report.owasp ?? []
  const w = 520
  const size = 44
  const gap = 6
  const parts = risks.map((r, i) => {
    const x = 10 + (i % 10) * (size + gap)
    return `<g class="risk-cell" data-risk="${r.id}"><rect x="${x}" y="10" width="${size}" height="${size}" rx="4" fill="${STATUS_COLOURS[r.status]}"><title>${esc(r.id)} ${esc(r.name)}: ${esc(statusLabel(r.status))}</title></rect><text x="${x + size / 2}" y="70" text-anchor="middle">${esc(r.id)}</text></g>`
  })
  const counts = Object.entries(report.summary.risks)
    .filter(([, n]) => n > 0)
    .map(([s, n], i) => `<text x="${10 + i * 120}" y="96">${n} ${esc(statusLabel(s as Status))}</text>`)
  return `<svg id="chart-risks" role="img" aria-label="Risk status" viewBox="0 0 ${w} 104" width="100%">${parts.join('\n')}${counts.join('')}</svg>`
}

function list(items: string[]): string {
  return items.length === 0 ? '' : `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`
}

export function toHtml(report: Report): string {
  if (!TEMPLATE) throw new Error('templates/report.html is missing from this installation')
  const r = report.evidence.runtime
  const p = report.evidence.controls.policy
  const inv = report.evidence.controls.inventory
  const body: string[] = []
  body.push(`<h1>agentgov coverage report</h1>`)
  body.push(`<p class="meta" id="window">Window <b>${esc(report.window.from)}</b> to <b>${esc(report.window.to)}</b> · agentgov <span id="version">${esc(report.agentgov)}</span> · generated ${esc(report.generatedAt)}</p>`)
  body.push(
    `<p class="meta">Sources: ${report.sources.map((s) => `<code>${esc(s.kind)} ${esc(s.path)}</code> (${s.records} records${s.unreadable ? `, ${s.unreadable} unreadable` : ''}${s.error ? `, ${esc(s.error)}` : ''})`).join(', ') || 'none'} · Policy: ${p.loaded ? `<code>${esc(p.file)}</code>` : `none${p.error ? ` (${esc(p.error)})` : ''}`} · Inventory: ${inv.source === 'none' ? 'none' : inv.source === 'file' ? `<code>${esc(inv.path)}</code>` : 'fresh scan'}</p>`,
  )
  if (report.notes.length > 0) body.push(`<ul class="notes">${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`)
  const tiles: Array<[string, number | string]> = [
    ['records', r.records],
    ['decisions', r.byKind.decision],
    ['denied', r.denials.total],
    ['approvals', r.approvals.total],
    ['agents', Object.keys(r.agents).length],
    ['rug-pull findings', r.trust.pinChanges.count],
    ['chain', r.chain.length === 0 ? 'not checked' : r.chain.every((c) => c.ok) ? 'verified' : 'BROKEN'],
  ]
  body.push(`<div class="tiles">${tiles.map(([k, v]) => `<div class="tile"><b>${esc(v)}</b><span>${esc(k)}</span></div>`).join('')}</div>`)
  const legend = `<div class="small legend">${ACTIONS.map((a) => `<i style="background:${ACTION_COLOURS[a]}"></i>${a}`).join('')}</div>`
  body.push(
    `<div class="charts"><figure><figcaption>Decisions over time</figcaption>${timelineChart(report)}${legend}</figure><figure><figcaption>Decisions per agent</figcaption>${agentChart(report)}</figure>${report.owasp ? `<figure><figcaption>Risk status</figcaption>${riskChart(report)}</figure>` : ''}</div>`,
  )

  if (report.owasp) {
    body.push('<h2>OWASP Top 10 for Agentic Applications (2026)</h2>')
    body.push(`<table id="risk-table"><thead><tr><th>Risk</th><th>Name</th><th>Status</th><th>Why</th></tr></thead><tbody>`)
    for (const risk of report.owasp) body.push(`<tr data-risk="${risk.id}"><td>${risk.id}</td><td>${esc(risk.name)}</td><td>${badge(risk.status)}</td><td>${esc(risk.why)}</td></tr>`)
    body.push('</tbody></table>')
    for (const risk of report.owasp) {
      body.push(`<section class="risk" id="${risk.id}"><h3>${risk.id} ${esc(risk.name)} ${badge(risk.status)}</h3>`)
      body.push(`<p class="small">${esc(risk.gist)}. Reach: ${esc(risk.reach)}: ${esc(risk.reachWhy)} OWASP MCP Top 10: ${esc(risk.mcp.join(', '))}.</p>`)
      body.push(`<b>Controls</b>${list(risk.controls)}<b>Runtime evidence</b>${list(risk.evidence)}`)
      if (risk.gaps.length) body.push(`<b>Gaps</b>${list(risk.gaps.map((g) => `${g.what}: ${g.recommendation}`))}`)
      if (risk.examples.length) body.push(`<p class="small">Example records: ${risk.examples.map((id) => `<code>${esc(id)}</code>`).join(', ')}</p>`)
      body.push('</section>')
    }
  }

  for (const f of report.compliance ?? []) {
    body.push(`<h2>${esc(f.name)}</h2><table class="framework" data-framework="${f.id}"><thead><tr><th>Clause</th><th>Obligation</th><th>Status</th><th>Evidence</th><th>Missing</th></tr></thead><tbody>`)
    for (const c of f.clauses) {
      const rows = c.rows.filter((row) => row.state !== 'missing').map((row) => `${row.label} (${row.source}: ${row.detail})`)
      body.push(`<tr data-clause="${esc(c.clause)}"><td>${esc(c.clause)}</td><td>${esc(c.obligation)}</td><td>${badge(c.status)}</td><td>${list(rows)}</td><td>${list(c.missing)}</td></tr>`)
    }

    body.push('</tbody></table>')
  }

  const template = readFileSync(TEMPLATE, 'utf8')
  return template.replace('{{title}}', () => esc(`agentgov report ${report.window.from} to ${report.window.to}`)).replace('{{body}}', () => body.join('\n'))
}
