/**
 * The progress line of a long command (discover's repository walk, report's pass over the traces):
 * on stderr, only when stderr is a terminal, redrawn in place at most every 100 ms and erased when
 * the work ends, so stdout carries the result alone and a log or pipe never sees it.
 */
export interface ProgressLine<T> {
  update(progress: T): void
  done(): void
}

const REDRAW_MS = 100

/** `describe` turns the latest figures into the line's text; it runs only when the line is redrawn. */
export function progressLine<T>(describe: (progress: T) => string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): ProgressLine<T> {
  if (!stream.isTTY) return {update() {}, done() {}}
  let shown = false
  let last = -Infinity
  return {
    update(progress) {
      const at = now()
      if (at - last < REDRAW_MS) return
      last = at
      shown = true
      // A line wider than the terminal wraps, and erasing would then leave its first part behind.
      stream.write(`\r\u001B[K${describe(progress).slice(0, Math.max(1, (stream.columns || 80) - 1))}`)
    },
    done() {
      if (shown) stream.write('\r\u001B[K')
      shown = false
    },
  }
}

/** `1,234`: figures on a progress line read the same whatever the locale. */
export function count(n: number): string {
  return n.toLocaleString('en-US')
}
