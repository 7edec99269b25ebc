import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Report} from '../../src/report/index.js'
import {readSources, type ReadProgress} from '../../src/report/sources.js'
import {EvidenceBuilder} from '../../src/report/evidence.js'
import {TraceWriter} from '../../src/telemetry/store/writer.js'
import {HAVE_TMUX, openTerminal} from '../helpers/tmux.js'
import {BIN, runCli, tempDir} from '../helpers/tree.js'

const RECORDS = 20_000

/** A real trace store of RECORDS decisions over the last day, as a proxy leaves it. */
function writeStore(dir: string): void {
  const writer = new TraceWriter(dir, {maxPending: RECORDS})
  const base = Date.now() - 86_400_000
  for (let i = 0; i < RECORDS; i++) {
    const denied = i % 10 === 0
    writer.append({kind: 'decision', time: base + i, agent: `agent-${i % 3}`, server: 'github', requestId: i, tool: denied ? 'delete_repo' : 'get_issue', stage: 'pre_tool', action: denied ? 'deny' : 'allow', policy: 'team', rule: denied ? 'no-deletes' : 'reads', reason: 'test'})
  }

  writer.close()
}

describe("report's progress line", () => {
  const dir = tempDir('agentgov-report-progress-')
  const store = join(dir.path, 'store')
  const args = ['report', '--owasp', '--traces', store, '--policy', join(dir.path, 'none.yaml'), '--inventory', join(dir.path, 'none.json'), '--format', 'json']
  const env = {HOME: dir.path, AGENTGOV_HOME: join(dir.path, '.agentgov')}
  beforeAll(() => writeStore(store))
  afterAll(() => dir.cleanup())

  it('is told how far the pass over a store is, every 1,024 records', async () => {
    const seen: ReadProgress[] = []
    const window = {from: Date.now() - 2 * 86_400_000, to: Date.now() + 1}
    await readSources([store], window, new EvidenceBuilder(window), {verify: true, onProgress: (p) => seen.push({...p})})
    expect(seen).toHaveLength(Math.floor(RECORDS / 1024))
    expect(seen.at(-1)).toEqual({records: Math.floor(RECORDS / 1024) * 1024, source: store})
  })

  it('prints nothing on stderr when it is not a terminal, and only the report on stdout', async () => {
    const result = await runCli(args, env)
    expect(result.code).toBe(0)
    expect(result.stderr).not.toContain('reading traces')
    expect(result.stderr).not.toContain('\u001B[K')
    expect((JSON.parse(result.stdout) as Report).summary.records).toBe(RECORDS)
  })

  it.skipIf(!HAVE_TMUX)('shows on stderr in a real terminal, then is erased, while stdout holds the report alone', async () => {
    const raw = join(dir.path, 'pane.raw')
    const out = join(dir.path, 'report.json')
    const go = join(dir.path, 'go')
    const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')
    // The program waits until the pane is being recorded, so the recording has every byte it writes.
    const terminal = openTerminal(`while [ ! -e '${go}' ]; do sleep 0.05; done\n${command} > '${out}'\necho "exit $?"; echo END-OF-RUN`, {columns: 200, rows: 20}, env)
    try {
      terminal.recordTo(raw)
      await sleep(200)
      writeFileSync(go, '')
      const screen = await terminal.waitFor('END-OF-RUN', 60_000)
      expect(screen).toContain('exit 0')
      // Erased: the final screen has no trace of it.
      expect(screen).not.toContain('reading traces')
      for (let i = 0; i < 50 && !existsSync(raw); i++) await sleep(100)
      const written = readFileSync(raw, 'utf8')
      expect(written).toMatch(/\r\u001B\[Kreading traces: [\d,]+ records \(.*store\)…/)
      // The last thing it wrote about progress is the erase.
      const lastLine = written.lastIndexOf('reading traces')
      expect(written.indexOf('\r\u001B[K', lastLine)).toBeGreaterThan(lastLine)
      expect((JSON.parse(readFileSync(out, 'utf8')) as Report).summary.records).toBe(RECORDS)
    } finally {
      terminal.close()
    }
  })
})
