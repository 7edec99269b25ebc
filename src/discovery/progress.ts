/**
 * The progress line of a long repository scan: on stderr, only when stderr is a terminal, redrawn
 * in place at most every 100 ms and erased when the scan ends, so stdout carries the result alone
 * and a log or pipe never sees it.
 */
export interface ProgressLine {
  update(progress: {repositories: number; files: number}): void
  done(): void
}

const REDRAW_MS = 100

export function progressLine(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): ProgressLine {
  if (!stream.isTTY) return {update() {}, done() {}}
  let shown = false
  let last = -Infinity
  return {
    update({repositories, files}) {
      const at = now()
      if (at - last < REDRAW_MS) return
      last = at
      shown = true
      stream.write(`\r\u001B[Kscanning: ${repositories} repositor${repositories === 1 ? 'y' : 'ies'}, ${files.toLocaleString('en-US')} files…`)
    },
    done() {
      if (shown) stream.write('\r\u001B[K')
      shown = false
    },
  }
}
