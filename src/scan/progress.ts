/**
 * The progress line of a scan: on stderr, only when stderr is a terminal, redrawn in place and
 * erased at the end, so stdout carries the result alone.
 */
export function scanProgress(stream: NodeJS.WriteStream = process.stderr): {update(p: {done: number; total: number; running: string[]}): void; done(): void} {
  if (!stream.isTTY) return {update() {}, done() {}}
  let shown = false
  return {
    update({done, total, running}) {
      shown = true
      const now = running.length > 0 ? ` (${running.join(', ')})` : ''
      // A terminal that reports no width (0) gets 80; the cut is of the text, never of the escape before it.
      const width = Math.max(20, (stream.columns || 80) - 1)
      stream.write(`\r\u001B[K${`scanning: ${done}/${total} servers${now}…`.slice(0, width)}`)
    },
    done() {
      if (shown) stream.write('\r\u001B[K')
      shown = false
    },
  }
}
