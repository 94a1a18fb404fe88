import type { Socket } from 'socket.io';
import { IntentParseSchema, INTENT_TEXT_MAX, ROOM_EVENTS, wireError, type IntentAnswer, type WireError } from '../../protocol/index.ts';
import { checkSession, type SessionLookup } from '../commands/check-session.ts';
import { RateLimiter } from '../commands/rate-limit.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import type { IntentService } from './intent-service.ts';
import type { ModelAdapter } from './model/model-adapter.ts';
import { acknowledgement } from '../util/acknowledge.ts';
import { devicesToObserve } from './devices-to-observe.ts';

/** What the words need of the device interest (#12): ask Live to mirror some devices' parameters for a while. */
export interface ParameterWarmup {
  /** `key`'s list replaces its previous one; an empty list ends it. */
  observe(key: string, devices: readonly string[]): void;
}

export interface IntentHandlerDeps {
  intents: IntentService;
  sessions: SessionLookup;
  audit: AuditSink;
  /** The optional model on the LAN; undefined when none is configured (the default). */
  model?: ModelAdapter;
  /** Lets a sentence that names a device read its parameters though no panel shows them. */
  warmup?: ParameterWarmup;
}

/** How long a parse waits for Live to send the parameters of a device it names. */
const WARMUP_WAIT_MS = 2_000;
const WARMUP_POLL_MS = 25;
/** The parameters stay mirrored a while, so the next sentence about the same device is instant. */
const WARMUP_KEEP_MS = 60_000;

/** Parsing costs well under a millisecond; this only keeps a runaway client from looping it. */
const PARSE_RATE = { perSecond: 10, burst: 20 };
/** A model call takes seconds on a LAN box: a few a minute per person, one at a time, two in the room. */
const MODEL_RATE = { perSecond: 0.1, burst: 3 };
const MODEL_IN_FLIGHT_ROOM = 2;

/** Codes for which the model may be asked: the parser did not understand, or found no such name. */
const MODEL_MAY_HELP = new Set(['NOT_UNDERSTOOD', 'NO_MATCH']);

/**
 * `intent.parse` on `/room`: one acknowledgement per request, the session checked each
 * time as for a command, the text checked against its schema. It changes nothing; what
 * it returns runs only as ordinary `command`s.
 */
export class IntentHandler {
  private readonly parses = new RateLimiter(PARSE_RATE);
  private readonly modelCalls = new RateLimiter(MODEL_RATE);
  private readonly modelBusy = new Set<string>();
  private readonly warm = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: IntentHandlerDeps) {}

  register(socket: Socket, sessionId: string): void {
    const ip = normaliseIp(socket.request.socket.remoteAddress);
    socket.on(ROOM_EVENTS.intentParse, (raw: unknown, ack?: unknown) => {
      const answer = acknowledgement(ack);
      if (!answer) return;
      let answered = false;
      const reply = (value: IntentAnswer): void => {
        if (answered) return;
        answered = true;
        answer(value);
      };
      this.handle(raw, sessionId, ip).then(reply, (err: unknown) => { reply(refused(wireError('INTERNAL', `intent.parse failed inside the server: ${err instanceof Error ? err.message : String(err)}`))); });
    });
  }

  forget(sessionId: string): void {
    this.parses.forget(sessionId);
    this.modelCalls.forget(sessionId);
    this.endWarmup(sessionId);
  }

  async handle(raw: unknown, sessionId: string, ip: string): Promise<IntentAnswer> {
    const session = checkSession(this.deps.sessions, { sessionId, ip });
    if ('code' in session) return refused(session);
    const limited = this.parses.take(sessionId);
    if (limited) return refused(limited);
    if (typeof raw === 'object' && raw !== null && 'text' in raw && typeof raw.text === 'string' && raw.text.length > INTENT_TEXT_MAX) {
      return refused(wireError('TOO_LARGE', `say it in at most ${INTENT_TEXT_MAX} characters`));
    }
    const request = IntentParseSchema.safeParse(raw);
    if (!request.success) return refused(wireError('INVALID', `intent.parse takes { text, model? }: ${request.error.issues[0]?.message ?? 'bad payload'}`));
    const answer = await this.parseWithParameters(request.data.text, sessionId);
    if (answer.ok || !MODEL_MAY_HELP.has(answer.error.code) || !this.deps.model) return answer;
    if (!request.data.model) return { ...answer, canAskModel: true };
    return this.askModel(request.data.text, sessionId, session.name);
  }

  /** Parses; when the words found nothing and name a device whose parameters Live does not mirror yet, asks for them and parses again. */
  private async parseWithParameters(text: string, sessionId: string): Promise<IntentAnswer> {
    const first = this.deps.intents.parse(text);
    const warmup = this.deps.warmup;
    if (first.ok || !warmup || !MODEL_MAY_HELP.has(first.error.code)) return first;
    const devices = devicesToObserve(text, this.deps.intents.set().index);
    if (devices.length === 0) return first;
    warmup.observe(warmupKey(sessionId), devices);
    const previous = this.warm.get(sessionId);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => { this.endWarmup(sessionId); }, WARMUP_KEEP_MS);
    timer.unref();
    this.warm.set(sessionId, timer);
    const loaded = (): boolean => {
      const index = this.deps.intents.set().index;
      return devices.every((id) => index.params(id).length > 0);
    };
    for (let waited = 0; waited < WARMUP_WAIT_MS && !loaded(); waited += WARMUP_POLL_MS) {
      await new Promise((resolve) => { setTimeout(resolve, WARMUP_POLL_MS).unref(); });
    }
    return this.deps.intents.parse(text);
  }

  private endWarmup(sessionId: string): void {
    const timer = this.warm.get(sessionId);
    if (!timer) return;
    clearTimeout(timer);
    this.warm.delete(sessionId);
    this.deps.warmup?.observe(warmupKey(sessionId), []);
  }

  private async askModel(text: string, sessionId: string, name: string): Promise<IntentAnswer> {
    const model = this.deps.model!;
    if (this.modelBusy.has(sessionId)) return refused(wireError('BUSY', 'the room\'s model is still working on your last request', { retryAfterMs: 2_000 }));
    if (this.modelBusy.size >= MODEL_IN_FLIGHT_ROOM) return refused(wireError('BUSY', 'the room\'s model is busy with other requests', { retryAfterMs: 3_000 }));
    const limited = this.modelCalls.take(sessionId);
    if (limited) return refused({ ...limited, message: 'at most a few questions to the room\'s model a minute' });
    this.modelBusy.add(sessionId);
    const started = Date.now();
    try {
      const answer = await model.propose(text, this.deps.intents.set());
      // What left the machine is on record (not the words: they may be anything anyone typed).
      this.deps.audit.record({ kind: 'intent_model', sessionId, name, ok: answer.ok, ...(answer.ok ? {} : { code: answer.error.code }), detail: `${text.length} characters, ${answer.ok ? `${answer.commands.length} commands proposed` : 'no proposal'}, ${Date.now() - started} ms` });
      return answer;
    } finally {
      this.modelBusy.delete(sessionId);
    }
  }
}

function warmupKey(sessionId: string): string {
  return `words:${sessionId}`;
}

function refused(error: WireError): IntentAnswer {
  return { ok: false, error };
}
