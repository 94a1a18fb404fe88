import type { DetailedError, Upload } from 'tus-js-client';
import {
  FILE_ROUTES, UPLOAD_METADATA, httpErrorOf, uploadAnswerOf, uploadPath,
  type StoredFileView, type UploadAnswer, type WireError,
} from '../../../protocol/browser.ts';
import { Observable } from './observable.ts';

export type TransferState = 'uploading' | 'paused' | 'waiting' | 'storing' | 'placing' | 'placed' | 'stored' | 'conflict' | 'failed';

/** One file on its way from this device to the studio (and maybe onto a slot). */
export interface Transfer {
  key: string;
  name: string;
  bytes: number;
  sent: number;
  state: TransferState;
  /** The slot it was dropped on, and the slot's rev then (a slot filled meanwhile is a CONFLICT). */
  slotId: string | null;
  baseRev: string | null;
  /** Where to put it instead when the slot was filled meanwhile. */
  suggestion: string | null;
  file: StoredFileView | null;
  error: WireError | null;
}

/** What the store needs of the room: placing is an ordinary command. */
export interface TransferHost {
  place(fileId: string, slotId: string, baseRev: string | null): Promise<{ ok: true } | { ok: false; error: WireError }>;
  /** The next empty slot on the same track after `slotId`, if any. */
  nextEmptySlot(slotId: string): string | null;
  revOf(slotId: string): string | null;
  stored(): void;
}

/** Retries for a room's Wi-Fi: a laptop that drops off keeps trying for about two minutes. */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 15_000, 20_000, 30_000, 30_000];
/** Chunks keep each request short, so a pause or a dropped link loses little. */
const CHUNK_BYTES = 4 * 1024 * 1024;

type Tus = typeof import('tus-js-client');
let tus: Promise<Tus> | null = null;
/**
 * tus-js-client is loaded with the first upload, not with the page: it is a tenth of the
 * client's code, and most visits never send a file (the band view's first load parsed it
 * for nothing).
 */
function loadTus(): Promise<Tus> {
  tus ??= import('tus-js-client');
  return tus;
}

/**
 * The page's uploads: tus-js-client (resumable, fingerprinted so a reload resumes a file
 * picked again), progress, pause and resume, and after storing, the command that places
 * the file on the slot it was dropped on.
 */
export class TransfersStore {
  readonly list = new Observable<Transfer[]>([]);
  private readonly uploads = new Map<string, Upload>();
  private seq = 0;

  constructor(private readonly host: TransferHost) {
    if (typeof window !== 'undefined') {
      // Back on the network: uploads that gave up waiting start again by themselves.
      window.addEventListener('online', () => {
        for (const t of this.list.value) if (t.state === 'waiting') this.resume(t.key);
      });
    }
  }

  /** Sends `file`; with a slot, places it there once stored. */
  start(file: File, target: { slotId: string; baseRev: string | null } | null = null): string {
    const key = `t${++this.seq}`;
    this.add({ key, name: file.name, bytes: file.size, sent: 0, state: 'uploading', slotId: target?.slotId ?? null, baseRev: target?.baseRev ?? null, suggestion: null, file: null, error: null });
    loadTus().then((lib) => this.send(key, file, target, lib), () => {
      tus = null;
      this.patch(key, { state: 'failed', error: { code: 'INTERNAL', message: 'the upload could not start: the page could not load its upload code; reload and try again' } });
    });
    return key;
  }

  /** The upload itself, once tus-js-client is here (a cancel meanwhile wins, a pause holds it). */
  private send(key: string, file: File, target: { slotId: string; baseRev: string | null } | null, lib: Tus): void {
    if (!this.find(key)) return;
    const upload = new lib.Upload(file, {
      endpoint: FILE_ROUTES.uploads,
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS,
      removeFingerprintOnSuccess: true,
      metadata: { [UPLOAD_METADATA.filename]: file.name, ...(target ? { [UPLOAD_METADATA.slot]: target.slotId } : {}) },
      onProgress: (sent, total) => this.patch(key, { sent, state: sent >= total ? 'storing' : 'uploading' }),
      onShouldRetry: (err, _attempt, options) => {
        const status = err.originalResponse?.getStatus() ?? 0;
        const retry = status === 0 || status === 409 || status === 423 || status >= 500;
        if (retry && status === 0) this.patch(key, { state: 'waiting' });
        return retry && options.retryDelays !== null;
      },
      onSuccess: ({ lastResponse }) => void this.stored(key, lastResponse.getBody(), upload.url),
      onError: (err) => this.patch(key, { state: navigator.onLine ? 'failed' : 'waiting', error: errorOf(err, lib.DetailedError) }),
    });
    this.uploads.set(key, upload);
    if (this.find(key)?.state === 'paused') return;
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    }, () => upload.start());
  }

  pause(key: string): void {
    void this.uploads.get(key)?.abort();
    this.patch(key, { state: 'paused' });
  }

  resume(key: string): void {
    const upload = this.uploads.get(key);
    if (!upload) return;
    this.patch(key, { state: 'uploading', error: null });
    upload.start();
  }

  /** Stops it and tells the server to drop what it has. */
  cancel(key: string): void {
    const upload = this.uploads.get(key);
    void upload?.abort(true).catch(() => undefined);
    this.uploads.delete(key);
    this.list.set(this.list.value.filter((t) => t.key !== key));
  }

  dismiss(key: string): void {
    this.uploads.delete(key);
    this.list.set(this.list.value.filter((t) => t.key !== key));
  }

  /** Places a stored file on another slot (the suggestion after a CONFLICT, or a pick). */
  async placeAt(key: string, slotId: string): Promise<void> {
    const t = this.find(key);
    if (!t?.file) return;
    this.patch(key, { slotId, baseRev: this.host.revOf(slotId), state: 'placing', error: null, suggestion: null });
    await this.place(key);
  }

  /** The transfer (if any) aimed at a slot, for the grid's progress bar. */
  forSlot(slotId: string): Transfer | undefined {
    return this.list.value.find((t) => t.slotId === slotId && t.state !== 'placed' && t.state !== 'failed');
  }

  private async stored(key: string, body: string, url: string | null): Promise<void> {
    let answer: UploadAnswer | null = parseAnswer(body);
    // The last answer was lost (a reload, a dropped link right at the end): ask for it.
    if (!answer && url) {
      const res = await fetch(uploadPath(url.split('/').pop() ?? ''), { credentials: 'same-origin' }).catch(() => null);
      answer = res?.ok ? parseAnswer(await res.text()) : null;
    }
    if (!answer) { this.patch(key, { state: 'failed', error: { code: 'INTERNAL', message: 'the server stored the file but its answer was lost; see the room’s files' } }); return; }
    this.patch(key, { file: answer.file, sent: this.find(key)?.bytes ?? 0 });
    this.host.stored();
    if (this.find(key)?.slotId) {
      this.patch(key, { state: 'placing' });
      await this.place(key);
    } else {
      this.patch(key, { state: 'stored' });
    }
  }

  private async place(key: string): Promise<void> {
    const t = this.find(key);
    if (!t?.file || !t.slotId) return;
    const answer = await this.host.place(t.file.id, t.slotId, t.baseRev);
    if (answer.ok) { this.patch(key, { state: 'placed' }); return; }
    if (answer.error.code === 'CONFLICT') { this.patch(key, { state: 'conflict', error: answer.error, suggestion: this.host.nextEmptySlot(t.slotId) }); return; }
    this.patch(key, { state: 'failed', error: answer.error });
  }

  private find(key: string): Transfer | undefined {
    return this.list.value.find((t) => t.key === key);
  }

  private add(t: Transfer): void {
    this.list.set([...this.list.value, t]);
  }

  private patch(key: string, change: Partial<Transfer>): void {
    this.list.set(this.list.value.map((t) => (t.key === key ? { ...t, ...change } : t)));
  }
}

function parseAnswer(body: string): UploadAnswer | null {
  try {
    return uploadAnswerOf(JSON.parse(body));
  } catch { /* not an answer */ }
  return null;
}

/** The server's typed refusal from a tus error's response, or a network error. */
function errorOf(err: Error, Detailed: typeof DetailedError): WireError {
  const res = err instanceof Detailed ? err.originalResponse : null;
  if (!res) return { code: 'INTERNAL', message: 'the upload could not reach the room server' };
  try {
    const refusal = httpErrorOf(JSON.parse(res.getBody()));
    if (refusal) return refusal;
  } catch { /* plain text */ }
  return { code: 'INTERNAL', message: `upload failed (${res.getStatus()})` };
}
