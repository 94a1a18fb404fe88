import type { Socket } from 'socket.io';
import { IntentParseSchema, INTENT_TEXT_MAX, ROOM_EVENTS, wireError, type IntentAnswer, type WireError } from '../../protocol/index.ts';
import { checkSession, type SessionLookup } from '../commands/check-session.ts';
import { RateLimiter } from '../commands/rate-limit.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import type { IntentService } from './intent-service.ts';
import type { ModelAdapter } from './model/model-adapter.ts';
import { acknowledgement } from '../util/acknowledge.ts';

export interface IntentHandlerDeps {
  intents: IntentService;
  sessions: SessionLookup;
  audit: AuditSink;
  /** The optional model on the LAN; undefined when none is configured (the default). */
  model?: ModelAdapter;
}

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
    const answer = this.deps.intents.parse(request.data.text);
    if (answer.ok || !MODEL_MAY_HELP.has(answer.error.code) || !this.deps.model) return answer;
    if (!request.data.model) return { ...answer, canAskModel: true };
    return this.askModel(request.data.text, sessionId, session.name);
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

function refused(error: WireError): IntentAnswer {
  return { ok: false, error };
}
