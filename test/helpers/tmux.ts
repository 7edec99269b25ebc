import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {tempDir} from './tree.js'

/** tmux is a Debian package (scripts/setup-test-deps.sh installs it); a test without it is skipped, saying why. */
export const HAVE_TMUX = (() => {
  try {
    execFileSync('tmux', ['-V'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()

export interface Terminal {
  /** Everything the pane shows and its scrollback, oldest first; with `escapes`, colours included. */
  capture(options?: {escapes?: boolean}): string
  /** Append every byte the pane's program writes, escapes and erased text included, to `file` from now on. */
  recordTo(file: string): void
  /** Wait until the pane (with scrollback) shows `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<string>
  close(): void
}

/**
 * A real terminal: a private tmux server running `script` (a shell script) in a pane of the given
 * size, with scrollback. The environment is exactly `env` plus TERM (no CI, so ink behaves as for a
 * person at a terminal).
 */
export function openTerminal(script: string, size: {columns: number; rows: number}, env: Record<string, string>): Terminal {
  const dir = tempDir('agentgov-tmux-')
  const socket = join(dir.path, 'tmux.sock')
  const config = join(dir.path, 'tmux.conf')
  const file = join(dir.path, 'run.sh')
  writeFileSync(config, 'set -g history-limit 10000\nset -g status off\n')
  // The pane must outlive the script, or its scrollback goes with it.
  writeFileSync(file, `${script}\nexec sleep 600\n`)
  const tmuxEnv = {PATH: process.env.PATH ?? '', TERM: 'xterm-256color', ...env}
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, '-f', config, ...args], {env: tmuxEnv, encoding: 'utf8'})
  tmux('new-session', '-d', '-x', String(size.columns), '-y', String(size.rows), 'sh', file)
  const capture = (options: {escapes?: boolean} = {}) => tmux('capture-pane', '-p', '-J', ...(options.escapes ? ['-e'] : []), '-S', '-', '-E', '-')
  return {
    capture,
    recordTo(file) {
      tmux('pipe-pane', '-o', `cat >> '${file.replaceAll("'", String.raw`'\''`)}'`)
    },
    async waitFor(text, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const seen = capture()
        if (seen.includes(text)) return seen
        if (Date.now() > deadline) throw new Error(`the terminal never showed ${JSON.stringify(text)}; it shows:\n${seen}`)
        await sleep(100)
      }
    },
    close() {
      try {
        tmux('kill-server')
      } catch {
        // Already gone.
      }

      dir.cleanup()
    },
  }
}
