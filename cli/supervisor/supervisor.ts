import type { ProcessReport } from '../../protocol/health.ts';
import type { SupervisedProcess } from './supervised-process.ts';

/**
 * The launcher's children (the host agent, the simulator): their reports go to the
 * server (/healthz, the set doc's meta.processes, which the UI shows), and they all stop
 * together, gently or at once.
 */
export class Supervisor {
  private readonly children: SupervisedProcess[] = [];

  constructor(private readonly publish: (reports: ProcessReport[]) => void) {}

  add(child: SupervisedProcess): SupervisedProcess {
    this.children.push(child);
    this.changed();
    return child;
  }

  remove(child: SupervisedProcess): void {
    const at = this.children.indexOf(child);
    if (at >= 0) this.children.splice(at, 1);
    this.changed();
  }

  /** Whoever owns a child calls this from its onChange. */
  changed(): void {
    this.publish(this.reports());
  }

  reports(): ProcessReport[] {
    return this.children.map((c) => c.report);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop()));
  }

  killAll(): void {
    for (const c of this.children) c.killNow();
  }
}
