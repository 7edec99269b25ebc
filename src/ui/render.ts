import {render} from 'ink'
import type {ReactElement} from 'react'

/** Render a static ink view once to stdout and wait until it is flushed. */
export async function renderOnce(element: ReactElement): Promise<void> {
  ensureWidth()
  const instance = render(element, {patchConsole: false, exitOnCtrlC: false})
  // waitUntilExit must be running before unmount, or the final frame can be lost.
  const exited = instance.waitUntilExit()
  instance.unmount()
  await exited
}

/** `~` for the user's home in paths a person reads. */
export function tildify(path: string, home: string): string {
  if (home && (path === home || path.startsWith(home + '/') || path.startsWith(home + '\\'))) return '~' + path.slice(home.length)
  return path
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…'
}

/**
 * A terminal that reports no size (a serial console, `script`, some CI runners) says 0 columns, and
 * ink would then wrap after every character: assume a common width instead.
 */
export function ensureWidth(stream: NodeJS.WriteStream = process.stdout): void {
  if (stream.isTTY && !stream.columns) stream.columns = 100
}
