const EDGE = 1024

/**
 * Splits a byte stream into newline-terminated lines without decoding it first (UTF-8 is checked per
 * line by the decoder). Only each new chunk is searched for the newline, so a 50 MB message that
 * arrives in 64 KB pieces costs one pass. A line longer than `maxBytes` is dropped whole and reported.
 */
export class LineSplitter {
  private pending: Buffer[] = []
  private pendingBytes = 0
  private discarding = false
  private head?: Buffer
  private tail?: Buffer

  constructor(
    private readonly onLine: (line: Buffer) => void,
    /** head and tail: the first and last bytes of the dropped line, where its id may be read. */
    private readonly onOversize: (bytes: number, head: Buffer, tail: Buffer) => void,
    private readonly maxBytes = 256 * 1024 * 1024,
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
      this.tail = Buffer.from(piece.subarray(Math.max(0, piece.length - EDGE)))
      return
    }

    this.pending.push(piece)
    this.pendingBytes += piece.length
    if (this.pendingBytes > this.maxBytes) {
      const whole = Buffer.concat(this.pending)
      this.head = Buffer.from(whole.subarray(0, EDGE))
      this.tail = Buffer.from(whole.subarray(Math.max(0, whole.length - EDGE)))
      this.pending = []
      this.discarding = true
    }
  }

  private flushLine(): void {
    if (this.discarding) {
      this.onOversize(this.pendingBytes, this.head ?? Buffer.alloc(0), this.tail ?? Buffer.alloc(0))
      this.head = undefined
      this.tail = undefined
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
