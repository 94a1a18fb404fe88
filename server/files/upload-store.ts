import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import type { Readable } from 'node:stream';
import { wireError } from '../../protocol/index.ts';
import { SNIFF_BYTES, readHead, sniffFormat } from './audio-check.ts';
import { TusRefusal } from './tus-refusal.ts';
import type { UploadPacer } from './upload-pacer.ts';

/**
 * @tus/file-store streaming each PATCH body to `<dir>/<upload id>` (its metadata beside
 * it in `<id>.json`, so an upload survives a server restart), plus one check: as soon as
 * the first bytes are on disk, they must be audio, or the upload is removed and refused
 * NOT_AUDIO — a renamed program is stopped after its first chunk, not after all of it.
 */
export class AudioUploadStore extends FileStore {
  private readonly sniffed = new Set<string>();

  constructor(readonly dir: string, private readonly pacer: UploadPacer, private readonly onNotAudio: (uploadId: string) => void) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    super({ directory: dir });
  }

  dataPath(uploadId: string): string {
    return path.join(this.dir, uploadId);
  }

  override async write(readable: Readable, uploadId: string, offset: number): Promise<number> {
    const paced = this.pacer.stream();
    readable.once('error', (err) => paced.destroy(err));
    const end = await super.write(readable.pipe(paced), uploadId, offset);
    if (this.sniffed.has(uploadId)) return end;
    const upload = await this.getUpload(uploadId);
    const needed = Math.min(SNIFF_BYTES, upload.size ?? SNIFF_BYTES);
    if (end < needed) return end;
    const format = await sniffFormat(await readHead(this.dataPath(uploadId), needed));
    if (!format) {
      await this.remove(uploadId);
      this.onNotAudio(uploadId);
      throw new TusRefusal(wireError('NOT_AUDIO', 'the file is not WAV, AIFF, FLAC, MP3, OGG or M4A audio (judged from its first bytes, not its name); nothing was kept'));
    }
    this.sniffed.add(uploadId);
    return end;
  }

  override async remove(uploadId: string): Promise<void> {
    this.sniffed.delete(uploadId);
    await super.remove(uploadId);
  }
}
