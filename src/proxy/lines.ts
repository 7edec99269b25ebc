/**
 * Splits a byte stream into newline-terminated lines without decoding it first (UTF-8 is checked per
 * line by the decoder). Only each new chunk is searched for the newline, so a 50 MB message that
 * arrives in 64 KB pieces costs one pass. A line longer than `maxBytes` is dropped whole and reported.
 */
export class LineSplitter {
  private pending: Buffer[] = []
  private pendingBytes = 0
  private discarding = false

  constructor(
    private readonly onLine: (line: Buffer) => void,
    private readonly onOversize: (bytes: number) => void,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    let start = 0
    let newline = chunk.indexOf(10)
    while (newline !== -1) {
      this.take(chunk.subarray(start, newline))
      this.flushLine()
      start = newline + 1
      newline = chunk.indexOf(10, start)
    }

    if (start < chunk.length) this.take(chunk.subarray(start))
  }

  /** End of stream: a last line without a newline still counts. */
  end(): void {
    if (this.pendingBytes > 0 || this.discarding) this.flushLine()
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return
    if (this.discarding) {
      this.pendingBytes += piece.length
      return
    }

    this.pending.push(piece)
    this.pendingBytes += piece.length
    if (this.pendingBytes > this.maxBytes) {
      this.pending = []
      this.discarding = true
    }
  }

  private flushLine(): void {
    if (this.discarding) {
      this.onOversize(this.pendingBytes)
    } else if (this.pendingBytes > 0) {
      const line = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes)
      // Blank lines (a stray "\r\n" pair, keep-alives) carry nothing to decide on.
      if (!(line.length === 1 && line[0] === 13)) this.onLine(line)
    }

    this.pending = []
    this.pendingBytes = 0
    this.discarding = false
  }
}
