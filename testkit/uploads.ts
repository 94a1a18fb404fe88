import { createHash } from 'node:crypto';
import https from 'node:https';
import { DetailedError, Upload, DefaultHttpStack, type UploadOptions } from 'tus-js-client';
import { FILE_ROUTES, HttpErrorSchema, UploadAnswerSchema, type UploadAnswer, type WireError } from '../protocol/index.ts';
import type { Peer } from './clients.ts';

export interface UploadRun {
  upload: Upload;
  /** Resolves with what the server stored, or rejects with its typed refusal. */
  done: Promise<UploadAnswer>;
  progress: { sent: number; total: number };
  /** Starts (or resumes) it; returns the same run for chaining. */
  start(): UploadRun;
}

export class UploadRefused extends Error {
  constructor(readonly status: number, readonly error: WireError | null) {
    super(`upload refused ${status}: ${error?.code ?? '?'} ${error?.message ?? ''}`);
  }
}

/**
 * A real tus client (tus-js-client's Node build, as the page uses its browser build)
 * with the session cookie, trusting the test CA. Not started: call `upload.start()`.
 */
export function tusUpload(peer: Peer, cookie: string, data: Buffer, options: { filename: string; chunkSize?: number; slot?: string; uploadUrl?: string; retryDelays?: number[] | null; onChunk?: (sent: number) => void } & Partial<UploadOptions> ): UploadRun {
  const progress = { sent: 0, total: data.length };
  let upload!: Upload;
  const done = new Promise<UploadAnswer>((resolve, reject) => {
    upload = new Upload(data, {
      endpoint: new URL(FILE_ROUTES.uploads, peer.base).href,
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      headers: { cookie, origin: peer.base },
      httpStack: new DefaultHttpStack({ ca: peer.ca, ...(peer.localAddress ? { localAddress: peer.localAddress } : {}) }),
      chunkSize: options.chunkSize ?? Infinity,
      retryDelays: options.retryDelays === undefined ? [0, 200, 500] : options.retryDelays,
      metadata: { filename: options.filename, ...(options.slot ? { slot: options.slot } : {}) },
      onProgress: (sent) => { progress.sent = sent; },
      onChunkComplete: (_size, accepted) => options.onChunk?.(accepted),
      onSuccess: ({ lastResponse }) => {
        const answer = UploadAnswerSchema.safeParse(jsonOf(lastResponse.getBody()));
        if (answer.success) resolve(answer.data);
        else reject(new Error(`the last response had no answer: ${lastResponse.getStatus()} ${lastResponse.getBody()}`));
      },
      onError: (err) => {
        const res = err instanceof DetailedError ? err.originalResponse : null;
        const refusal = res ? HttpErrorSchema.safeParse(jsonOf(res.getBody())) : null;
        reject(res ? new UploadRefused(res.getStatus(), refusal?.success ? refusal.data.error : null) : err);
      },
    });
  });
  done.catch(() => undefined); // a test that aborts on purpose need not await it
  const run: UploadRun = { upload, done, progress, start: () => { upload.start(); return run; } };
  return run;
}

/** A body as JSON, or undefined when it is not (tus's own errors are plain text). */
function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A request whose path goes on the wire exactly as written (no URL normalisation of `..`). */
export function rawRequest(peer: Peer, method: string, rawPath: string, options: { cookie?: string; origin?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(peer.base);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: url.hostname, port: url.port, method, path: rawPath, ca: peer.ca,
      ...(peer.localAddress ? { localAddress: peer.localAddress } : {}),
      headers: {
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
        ...options.headers,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Starts the upload and aborts it once more than `bytes` were accepted (a laptop leaving the Wi-Fi). */
export function startAndCut(run: UploadRun, bytes: number): Promise<void> {
  return new Promise((resolve) => {
    let cut = false;
    run.upload.options.onChunkComplete = (_size, accepted) => {
      if (cut || accepted <= bytes) return;
      cut = true;
      void run.upload.abort().then(() => resolve());
    };
    run.start();
  });
}
