import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as TusServer } from '@tus/server';
import type { Upload } from '@tus/utils';
import { FILE_ROUTES, UPLOAD_ID_PATTERN, UPLOAD_METADATA, wireError, type UploadAnswer, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import { AudioUploadStore } from './upload-store.ts';
import { TusRefusal, fromTusError } from './tus-refusal.ts';
import type { UploadPacer } from './upload-pacer.ts';

/** What the upload endpoint asks of the rest of the files service. */
export interface UploadPolicy {
  /** May this session start an upload of `bytes`? Checked once, at creation. */
  admit(session: Session, bytes: number | null): Promise<WireError | null>;
  /** May bytes keep arriving (the disk floor)? Checked on every PATCH. */
  mayContinue(session: Session): Promise<WireError | null>;
  /** Counts the upload against the sender's quota. */
  reserve(uploadId: string, session: Session, bytes: number): void;
  ownerOf(uploadId: string): string | undefined;
  /** The upload is complete on disk: check it, store it, answer what it became. */
  store(uploadId: string, session: Session, dataPath: string, bytes: number, filename: string): Promise<UploadAnswer>;
  /** The upload ended without a file (refused, cancelled): give its reservation back. */
  discarded(uploadId: string, session: Session | undefined, error: WireError): void;
}

/**
 * tus 1.0.0 (creation, creation-with-upload, termination) at FILE_ROUTES.uploads, with
 * @tus/server and the @tus/file-store underneath. The files router authenticates every
 * request with the one session check first and hands the session over here; tus hooks
 * then apply the room's rules: admission at creation, ownership and the disk floor on
 * every later request, the audio check on the first bytes and the whole file at the end.
 */
export class UploadEndpoint {
  readonly store: AudioUploadStore;
  private readonly tus: TusServer;
  private readonly sessions = new WeakMap<object, Session>();
  /** Uploads whose last byte arrived and which are being checked and stored now. */
  private readonly storing = new Set<string>();
  /** One file stored at a time, so identical content sent twice at once is stored once. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dir: string, pacer: UploadPacer, private readonly policy: UploadPolicy) {
    this.store = new AudioUploadStore(dir, pacer, (uploadId) => policy.discarded(uploadId, undefined, wireError('NOT_AUDIO', 'not audio')));
    this.tus = new TusServer({
      path: FILE_ROUTES.uploads,
      datastore: this.store,
      relativeLocation: true,
      // Same-origin only: no CORS header for anyone (the app's Origin check refuses other sites first).
      allowedOrigins: () => false,
      namingFunction: () => randomBytes(16).toString('hex'),
      // Only ids this server made; `..`, encoded separators and the like never reach the store.
      getFileIdFromRequest: (_req, last) => (last !== undefined && UPLOAD_ID_PATTERN.test(last) ? last : undefined),
      onIncomingRequest: (req, uploadId) => this.incoming(req, uploadId),
      onUploadCreate: (req, upload) => this.create(req, upload),
      onUploadFinish: (req, upload) => this.finish(req, upload),
      onResponseError: (_req, err) => fromTusError(err),
    });
  }

  /** Runs one tus request (POST, HEAD, PATCH, DELETE) for an authenticated session. */
  handle(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, session: Session): Promise<void> {
    this.sessions.set(req, session);
    // express strips the mount path from req.url; tus matches ids against the full path.
    if (req.originalUrl) req.url = req.originalUrl;
    return this.tus.handle(req, res);
  }

  isStoring(uploadId: string): boolean {
    return this.storing.has(uploadId);
  }

  /** Completes an upload whose last byte arrived but whose storing never ended (a crash between). */
  async storeComplete(uploadId: string, session: Session): Promise<UploadAnswer | WireError> {
    let upload: Upload;
    try {
      upload = await this.store.getUpload(uploadId);
    } catch {
      return wireError('NOT_FOUND', 'no such upload');
    }
    if (upload.size === undefined || upload.offset !== upload.size) return wireError('CONFLICT', `the upload has ${upload.offset} of ${upload.size ?? '?'} bytes; resume it first`);
    try {
      return await this.storeOnce(upload, session);
    } catch (err) {
      return err instanceof TusRefusal ? err.error : wireError('INTERNAL', 'storing the upload failed');
    }
  }

  private sessionOf(req: { runtime?: { node?: { req: object } } }): Session {
    const node = req.runtime?.node?.req;
    const session = node ? this.sessions.get(node) : undefined;
    if (!session) throw new TusRefusal(wireError('UNAUTHENTICATED', 'no session'));
    return session;
  }

  private async incoming(req: Parameters<NonNullable<ConstructorParameters<typeof TusServer>[0]['onIncomingRequest']>>[0], uploadId: string): Promise<void> {
    const session = this.sessionOf(req);
    if (req.method === 'POST') return;
    // Another session's upload does not exist, as far as this one can tell.
    if (this.policy.ownerOf(uploadId) !== session.id) throw new TusRefusal(wireError('NOT_FOUND', 'no such upload'));
    if (this.storing.has(uploadId)) throw new TusRefusal(wireError('BUSY', 'the upload is being stored; ask again in a moment', { retryAfterMs: 1000 }), 423);
    if (req.method === 'PATCH') {
      const refused = await this.policy.mayContinue(session);
      if (refused) throw new TusRefusal(refused);
    }
    if (req.method === 'DELETE') this.policy.discarded(uploadId, session, wireError('NOT_FOUND', 'cancelled by the sender'));
  }

  private async create(req: Parameters<NonNullable<ConstructorParameters<typeof TusServer>[0]['onUploadCreate']>>[0], upload: Upload): Promise<{ metadata: Record<string, string> }> {
    const session = this.sessionOf(req);
    const refused = await this.policy.admit(session, upload.size ?? null);
    if (refused) {
      this.policy.discarded(upload.id, session, refused);
      throw new TusRefusal(refused);
    }
    this.policy.reserve(upload.id, session, upload.size ?? 0);
    // Only the keys we know, bounded; the name is cleaned again before it names anything.
    const metadata: Record<string, string> = {};
    const filename = upload.metadata?.[UPLOAD_METADATA.filename];
    const slot = upload.metadata?.[UPLOAD_METADATA.slot];
    if (typeof filename === 'string') metadata[UPLOAD_METADATA.filename] = filename.slice(0, 255);
    if (typeof slot === 'string') metadata[UPLOAD_METADATA.slot] = slot.slice(0, 64);
    return { metadata };
  }

  private async finish(req: Parameters<NonNullable<ConstructorParameters<typeof TusServer>[0]['onUploadFinish']>>[0], upload: Upload): Promise<{ status_code: number; headers: Record<string, string>; body: string }> {
    const session = this.sessionOf(req);
    const answer = await this.storeOnce(upload, session);
    return { status_code: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(answer) };
  }

  private storeOnce(upload: Upload, session: Session): Promise<UploadAnswer> {
    this.storing.add(upload.id);
    const filename = upload.metadata?.[UPLOAD_METADATA.filename] ?? 'audio';
    const run = this.chain.then(async () => {
      try {
        return await this.policy.store(upload.id, session, this.store.dataPath(upload.id), upload.size ?? upload.offset, filename);
      } catch (err) {
        const error = err instanceof TusRefusal ? err.error : isWireError(err) ? err : wireError('INTERNAL', 'storing the file failed; send it again');
        await this.store.remove(upload.id).catch(() => undefined);
        this.policy.discarded(upload.id, session, error);
        throw new TusRefusal(error);
      } finally {
        this.storing.delete(upload.id);
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
