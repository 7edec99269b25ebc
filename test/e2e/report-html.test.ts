import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {type Browser, chromium} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {connectThroughProxy} from '../helpers/mcp.js'
import {filesystemPolicy} from '../helpers/policies.js'
import {runCli, tempDir} from '../helpers/tree.js'

const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts')
const dir = tempDir('agentgov-report-html-')
const root = join(dir.path, 'root')
const state = join(dir.path, 'state')
const env = {AGENTGOV_HOME: state, HOME: state}
const html = join(dir.path, 'report.html')

const policy = filesystemPolicy(root)

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in headless Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    mkdirSync(join(root, 'secret'), {recursive: true})
    writeFileSync(join(root, 'a.txt'), 'a\n')
    for (const agent of ['claude-code', 'cursor']) {
      const c = await connectThroughProxy({stateDir: state, policy, server: 'filesystem', serverName: 'fs', serverArgs: [root], agent})
      for (let i = 0; i < (agent === 'cursor' ? 2 : 4); i++) await c.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'a.txt')}})
      await c.client.callTool({name: 'read_text_file', arguments: {path: join(root, 'secret', 'k')}})
      if (agent === 'cursor') await c.client.callTool({name: 'write_file', arguments: {path: join(root, 'w'), content: 'w'}})
      await c.close()
    }

    await new Promise((resolve) => setTimeout(resolve, 300))
    const result = await runCli(['report', '--owasp', '--compliance', 'all', '--since', '1d', '--format', 'html', '--out', html, '--policy', join(state, 'policy.yaml'), '--inventory', join(dir.path, 'none.json')], env)
    expect(result.code).toBe(0)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    dir.cleanup()
  })

  it('is one self-contained file: no request but the file itself, none failed', () => {
    const text = readFileSync(html, 'utf8')
    expect(text).not.toMatch(/<(script|link|img)\b/i)
    expect(text).not.toMatch(/https?:\/\//)
  })

  it('shows every risk with its status and draws the charts, on screen and in print', async () => {
    const page = await browser.newPage({viewport: {width: 1200, height: 900}})
    const requests: string[] = []
    const failed: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    page.on('requestfailed', (request) => failed.push(request.url()))
    await page.goto(pathToFileURL(html).href, {waitUntil: 'load'})

    expect(requests).toEqual([pathToFileURL(html).href])
    expect(failed).toEqual([])
    const rows = await page.$$eval('#risk-table tr[data-risk]', (trs) => trs.map((tr) => [tr.getAttribute('data-risk'), tr.querySelector('.status')?.getAttribute('data-status'), tr.querySelector('.status')?.textContent]))
    expect(rows.map((r) => r[0])).toEqual(['ASI01', 'ASI02', 'ASI03', 'ASI04', 'ASI05', 'ASI06', 'ASI07', 'ASI08', 'ASI09', 'ASI10'])
    for (const [, status, label] of rows) {
      expect(['covered', 'partial', 'gap', 'out-of-reach']).toContain(status)
      expect(label).toBeTruthy()
    }

    const json = JSON.parse((await runCli(['report', '--owasp', '--since', '1d', '--format', 'json', '--policy', join(state, 'policy.yaml'), '--inventory', join(dir.path, 'none.json')], env)).stdout)
    expect(rows.map((r) => r[1])).toEqual(json.owasp.map((r: {status: string}) => r.status))
    expect(await page.locator('section.risk').count()).toBe(10)
    expect(await page.locator('table.framework').count()).toBe(5)

    // Rendered, not just present: the bars have a laid-out size.
    const timeline = await page.$$eval('#chart-timeline rect.bar', (rects) => rects.map((r) => (r as unknown as {getBBox(): {height: number}}).getBBox().height))
    expect(timeline.length).toBeGreaterThan(0)
    expect(timeline.every((h) => h > 0)).toBe(true)
    const agents = await page.$$eval('#chart-agents rect.bar', (rects) => rects.map((r) => r.querySelector('title')?.textContent ?? ''))
    // The fourth identical read within 10 s is a loop: denied by the limit.
    expect(agents).toEqual(['claude-code: 3 allowed', 'claude-code: 2 denied', 'cursor: 2 allowed', 'cursor: 1 approvals', 'cursor: 1 denied'])
    expect(json.evidence.runtime.limits.loop.count).toBe(1)
    expect(await page.locator('#chart-risks .risk-cell rect').count()).toBe(10)
    const box = await page.locator('#chart-timeline').boundingBox()
    expect(box!.width).toBeGreaterThan(200)

    mkdirSync(ARTIFACTS, {recursive: true})
    const shot = join(ARTIFACTS, 'report.png')
    await page.screenshot({path: shot, fullPage: true})
    await page.screenshot({path: join(ARTIFACTS, 'report-first-screen.png')})
    expect(statSync(shot).size).toBeGreaterThan(10_000)

    await page.emulateMedia({media: 'print'})
    expect(await page.$eval('.status', (el) => (globalThis as unknown as {getComputedStyle(e: unknown): {backgroundColor: string}}).getComputedStyle(el).backgroundColor)).toBe('rgba(0, 0, 0, 0)')
    await page.screenshot({path: join(ARTIFACTS, 'report-print.png'), fullPage: true})
    await page.close()
  })
})
