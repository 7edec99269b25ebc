/**
 * Large texts (a 50 MB tool result) are examined in bounded pieces: regular expressions then run in
 * bounded time and stack, whatever the input. Secrets and injected phrases are short, so a piece
 * boundary costs nothing as long as pieces overlap (scanning) or end at white space (rewriting).
 */
export const WINDOW = 64 * 1024
export const OVERLAP = 4 * 1024

/** Overlapping pieces, for read-only scanning. */
export function* scanWindows(text: string): Generator<string> {
  if (text.length <= WINDOW) {
    yield text
    return
  }

  for (let start = 0; start < text.length; start += WINDOW - OVERLAP) yield text.slice(start, start + WINDOW)
}

/** Consecutive pieces that end at white space where possible, for rewriting piece by piece. */
export function mapPieces(text: string, rewrite: (piece: string) => string): string {
  if (text.length <= WINDOW) return rewrite(text)
  const out: string[] = []
  let start = 0
  while (start < text.length) {
    let end = Math.min(text.length, start + WINDOW)
    if (end < text.length) {
      // Look for white space only near the end: lastIndexOf on the whole text would rescan it each time.
      const tail = text.slice(end - OVERLAP, end)
      const cut = Math.max(tail.lastIndexOf(' '), tail.lastIndexOf('\n'))
      if (cut !== -1) end = end - OVERLAP + cut + 1
    }

    out.push(rewrite(text.slice(start, end)))
    start = end
  }

  return out.join('')
}
