import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {HAVE_TMUX, openTerminal, type Terminal} from '../helpers/tmux.js'
import {BIN, runCli, tempDir} from '../helpers/tree.js'

const REPO = join(import.meta.dirname, '..', 'fixtures', 'repos', 'ts-app')
const SGR = /\u001B\[[0-9;]*m/
const discover = `"${process.execPath}" "${BIN}" discover --no-machine --no-processes "${REPO}"`

/** A human view in a real terminal (tmux), as a person at a shell sees it. */
describe.skipIf(!HAVE_TMUX)('the human view in a real terminal', () => {
  let terminal: Terminal | undefined
  let home: ReturnType<typeof tempDir> | undefined
  afterEach(() => {
    terminal?.close()
    home?.cleanup()
  })

  const open = (script: string, rows: number, env: Record<string, string> = {}) => {
    home = tempDir()
    terminal = openTerminal(script, {columns: 100, rows}, {HOME: home.path, AGENTGOV_HOME: join(home.path, '.agentgov'), ...env})
    return terminal
  }

  it('keeps the scrollback when the view is taller than the terminal', async () => {
    // 40 lines of earlier work, then a view of about 30 lines in a 12-row terminal.
    const t = open(`i=1; while [ $i -le 40 ]; do echo "earlier line $i"; i=$((i+1)); done\n${discover}\necho "exit $?"; echo END-OF-RUN`, 12)
    const seen = await t.waitFor('END-OF-RUN')
    expect(seen).toContain('exit 0')
    const lines = seen.split('\n')
    const first = lines.indexOf('earlier line 1')
    const last = lines.indexOf('earlier line 40')
    const view = lines.findIndex((l) => l.startsWith('Cursor'))
    const summary = lines.findIndex((l) => /^\d+ agents · \d+ MCP servers/.test(l))
    expect(first, seen).toBeGreaterThanOrEqual(0)
    expect(last).toBe(first + 39)
    // The view follows the earlier lines once, whole, and nothing of it is repeated.
    expect(view).toBeGreaterThan(last)
    expect(summary).toBeGreaterThan(view)
    expect(lines.filter((l) => l.startsWith('Cursor'))).toHaveLength(1)
  })

  it('prints colour in a terminal, and none with NO_COLOR=1', async () => {
    const coloured = open(`${discover}\necho END-OF-RUN`, 50)
    await coloured.waitFor('END-OF-RUN')
    expect(coloured.capture({escapes: true})).toMatch(SGR)
    coloured.close()
    home?.cleanup()

    const plain = open(`${discover}\necho END-OF-RUN`, 50, {NO_COLOR: '1'})
    const seen = await plain.waitFor('END-OF-RUN')
    expect(seen).toMatch(/^\d+ agents · \d+ MCP servers/m)
    expect(plain.capture({escapes: true})).not.toMatch(SGR)
  })
})

describe('colour without a terminal', () => {
  it('FORCE_COLOR colours piped output, and wins over NO_COLOR as in Node', async () => {
    const home = tempDir()
    try {
      const env = {HOME: home.path, AGENTGOV_HOME: join(home.path, '.agentgov')}
      const args = ['discover', '--no-machine', '--no-processes', REPO]
      const forced = await runCli(args, {...env, FORCE_COLOR: '1'})
      expect(forced.code).toBe(0)
      expect(forced.stdout).toMatch(SGR)
      expect((await runCli(args, {...env, FORCE_COLOR: '1', NO_COLOR: '1'})).stdout).toMatch(SGR)
      // runCli's default (FORCE_COLOR=0, piped): plain text.
      const plain = await runCli(args, env)
      expect(plain.stdout).toMatch(/^\d+ agents · \d+ MCP servers/m)
      expect(plain.stdout).not.toMatch(SGR)
    } finally {
      home.cleanup()
    }
  })
})
