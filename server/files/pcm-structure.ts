/**
 * Whether a WAV or AIFF file holds the sample data its header promises. music-metadata
 * reads a truncated WAV without complaint (it shortens the length to what is there), so
 * the container's own chunk sizes are checked against the file's size here.
 *
 * Returns the number of bytes the header promises the file holds, or null when the
 * chunk walk cannot find the sample chunk in the first bytes.
 */
export function declaredPcmEnd(head: Buffer, format: 'wav' | 'aiff'): number | null {
  const little = format === 'wav';
  if (format === 'wav' ? head.toString('latin1', 0, 4) === 'RF64' : false) return null; // sizes live in ds64; not checked
  const sampleChunk = format === 'wav' ? 'data' : 'SSND';
  let pos = 12;
  while (pos + 8 <= head.length) {
    const id = head.toString('latin1', pos, pos + 4);
    const size = little ? head.readUInt32LE(pos + 4) : head.readUInt32BE(pos + 4);
    if (id === sampleChunk) return pos + 8 + size;
    pos += 8 + size + (size & 1);
  }
  return null;
}
