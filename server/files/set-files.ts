import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AgentCommand, AgentResult } from '../../protocol/index.ts';

const LiveAudioFileSchema = z.object({
  clipId: z.string().max(64).nullable(),
  trackId: z.string().max(64).nullable(),
  track: z.string().max(512),
  name: z.string().max(512),
  path: z.string().max(4096),
  sampleLength: z.number(),
  sampleRate: z.number().nullable(),
  recording: z.boolean(),
  arrangement: z.boolean(),
});

const ListingSchema = z.object({
  setPath: z.string().max(4096).nullable(),
  clips: z.array(LiveAudioFileSchema).max(10_000),
  truncated: z.boolean(),
});
export type SetFilesListing = z.infer<typeof ListingSchema>;

export interface SetFilesDeps {
  dispatch(command: AgentCommand): Promise<AgentResult>;
  liveConnected(): boolean;
  /** A listing is reused this long; concurrent callers share one request to Live. */
  ttlMs?: number;
  deadlineMs?: number;
}

/** A take's id: names a file the set references without saying where it lives. */
export function takeIdOf(file: string): string {
  return createHash('sha256').update(`take\0${file}`).digest('hex').slice(0, 32);
}

/**
 * What the set references, asked of Live itself (`song.list_audio_files`, a read on its
 * main thread): the audio clips' files and where the set is saved. Paths stay on the
 * server; browsers see take ids.
 */
export class SetFiles {
  private cached: { at: number; listing: SetFilesListing } | null = null;
  private inFlight: Promise<SetFilesListing | null> | null = null;

  constructor(private readonly deps: SetFilesDeps) {}

  /** The current listing, or null when Live cannot be asked (offline, too slow, refused). */
  current(): Promise<SetFilesListing | null> {
    const ttl = this.deps.ttlMs ?? 2_000;
    if (this.cached && Date.now() - this.cached.at < ttl) return Promise.resolve(this.cached.listing);
    this.inFlight ??= this.ask().finally(() => { this.inFlight = null; });
    return this.inFlight;
  }

  /** The saved set's file, or null while it is unsaved, on Live 11, or when Live is away. */
  async setPath(): Promise<string | null> {
    return (await this.current())?.setPath ?? null;
  }

  forget(): void {
    this.cached = null;
  }

  private async ask(): Promise<SetFilesListing | null> {
    if (!this.deps.liveConnected()) return null;
    const result = await this.deps.dispatch({
      id: `f${randomBytes(16).toString('base64url')}`,
      action: 'song.list_audio_files',
      target: null,
      args: {},
      deadline: Date.now() + (this.deps.deadlineMs ?? 3_000),
    });
    if (!result.ok) return null;
    const parsed = ListingSchema.safeParse(result.value);
    if (!parsed.success) return null;
    this.cached = { at: Date.now(), listing: parsed.data };
    return parsed.data;
  }
}
