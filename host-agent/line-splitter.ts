/**
 * Splits a TCP byte stream into newline-terminated lines with a hard length limit,
 * so one runaway line can neither exhaust memory nor desynchronise the stream.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private length = 0;
  private discarding = false;

  constructor(private readonly limit: number, private readonly onLine: (line: string) => void, private readonly onOverflow: () => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.append(chunk.subarray(start, nl));
      if (!this.discarding) this.onLine(Buffer.concat(this.parts, this.length).toString('utf8'));
      this.parts = [];
      this.length = 0;
      this.discarding = false;
      start = nl + 1;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  private append(piece: Buffer): void {
    if (this.discarding || piece.length === 0) return;
    if (this.length + piece.length > this.limit) {
      this.discarding = true;
      this.parts = [];
      this.length = 0;
      this.onOverflow();
      return;
    }
    this.parts.push(piece);
    this.length += piece.length;
  }
}
