import type {FunctionComponent} from 'react'

import {shownDeep} from './text.js'
import {VIEWS, type ViewName, type ViewProps} from './views.js'

/**
 * Print a view once, as text. ink's live renderer is not used for this: once a frame is as tall as
 * the terminal, ink 6 redraws it with `clearTerminal` (ESC[2J ESC[3J), which wipes the screen and
 * the user's scrollback. A one-shot view has nothing to redraw, so it is rendered to a string and
 * written like any other output.
 */
export async function renderView<N extends ViewName>(name: N, props: ViewProps<N>, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  const colour = settleColour(process.env)
  const [{renderToString}, {createElement}, View] = await Promise.all([import('ink'), import('react'), VIEWS[name]()])
  // What a view shows may come from a server or an agent: no control character reaches the terminal raw.
  let text = renderToString(createElement(View as FunctionComponent<object>, shownDeep(props) as object), {columns: widthOf(out)})
  if (!colour) text = stripStyles(text)
  await new Promise<void>((resolve) => out.write(text + '\n', () => resolve()))
}

/** A view that stays on screen and updates (tail, the approvals prompt) until it exits. */
export async function renderLiveView<N extends ViewName>(name: N, props: ViewProps<N>, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  settleColour(process.env)
  const [{render}, {createElement}, View] = await Promise.all([import('ink'), import('react'), VIEWS[name]()])
  if (out.isTTY && !out.columns) out.columns = widthOf(out)
  await render(createElement(View as FunctionComponent<object>, shownDeep(props) as object), {stdout: out, patchConsole: false}).waitUntilExit()
}

/**
 * NO_COLOR (no-color.org: any non-empty value) turns colour off; FORCE_COLOR, which ink's chalk
 * reads itself, wins over it as it does in Node. chalk settles its colour level when it is first
 * loaded, so NO_COLOR is handed to it as FORCE_COLOR=0 before ink loads. Returns whether colour may
 * be used at all.
 */
export function settleColour(env: NodeJS.ProcessEnv): boolean {
  const forced = env.FORCE_COLOR
  if (forced !== undefined && forced !== '') return forced !== '0' && forced !== 'false'
  if (env.NO_COLOR) {
    env.FORCE_COLOR = '0'
    return false
  }

  return true
}

/** SGR sequences (colour, bold, dim): what a view emits, and what NO_COLOR forbids. */
export function stripStyles(text: string): string {
  return text.replaceAll(/\u001B\[[0-9;]*m/g, '')
}

/**
 * The width to lay a view out in. Piped output (`discover | less`) still has the person's terminal
 * on stderr, and `COLUMNS` says what a script wants; a terminal that reports no size (a serial
 * console, `script`, some CI runners) says 0 columns, and ink would then wrap after every
 * character: assume a common width.
 */
function widthOf(out: NodeJS.WriteStream): number {
  const fromEnv = Number.parseInt(process.env.COLUMNS ?? '', 10)
  return out.columns || (fromEnv > 0 ? fromEnv : 0) || process.stderr.columns || 100
}
