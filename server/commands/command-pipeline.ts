import { errorAnswer, wireError, type Answer, type AgentCommand, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-log.ts';
import type { SetMirror } from '../mirror/set-mirror.ts';
import type { AgentLink } from '../agent-link/agent-link.ts';
import { parseCommand, type ParsedCommand } from './parse-command.ts';
import { checkAccess, type AccessContext } from './check-access.ts';
import { checkVersion } from './check-version.ts';

export interface PipelineDeps {
  room: AccessContext;
  mirror: SetMirror;
  agent: AgentLink;
  audit: AuditSink;
  /** How long Live has to run a command before it is answered TIMEOUT and dropped. */
  deadlineMs: number;
}

let dispatchCounter = 0;

/**
 * A command's way through the server, in DESIGN.md's order; the first failing step
 * answers. Every command gets exactly one answer and one audit entry.
 */
export class CommandPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async handle(raw: unknown, session: Session): Promise<Answer> {
    const parsed = parseCommand(raw);
    if ('code' in parsed) {
      this.audit(session, null, false, parsed);
      return errorAnswer(parsed);
    }
    const refusal = checkAccess(session, parsed, this.deps.room) ?? checkVersion(parsed, this.deps.mirror) ?? this.checkAgent();
    if (refusal) {
      this.audit(session, parsed, false, refusal);
      return errorAnswer(refusal);
    }
    const answer = await this.dispatch(parsed);
    this.audit(session, parsed, answer.ok, answer.ok ? undefined : answer.error);
    return answer;
  }

  private checkAgent(): WireError | null {
    if (!this.deps.agent.connected) return wireError('AGENT_OFFLINE', 'no host agent is connected, so nothing can reach Live');
    if (!this.deps.agent.liveConnected) return wireError('LIVE_OFFLINE', 'the host agent cannot reach Live right now');
    return null;
  }

  private async dispatch(parsed: ParsedCommand): Promise<Answer> {
    const { command } = parsed;
    const agentCommand: AgentCommand = {
      id: `x${(++dispatchCounter).toString(36)}`,
      action: command.action,
      target: command.target,
      args: command.args,
      ...(command.baseRev !== undefined ? { baseRev: command.baseRev } : {}),
      deadline: Date.now() + this.deps.deadlineMs,
    };
    const result = await this.deps.agent.dispatch(agentCommand);
    return result.ok ? { ok: true, rev: result.rev, value: result.value } : { ok: false, error: result.error };
  }

  private audit(session: Session, parsed: ParsedCommand | null, ok: boolean, error?: WireError): void {
    this.deps.audit.record({
      kind: 'command',
      sessionId: session.id,
      name: session.name,
      ip: session.ip,
      action: parsed?.command.action,
      target: parsed?.command.target ?? null,
      ok,
      ...(error ? { code: error.code, detail: error.message } : {}),
    });
  }
}
