import { Observable } from './observable.ts';

export interface Toast { id: number; kind: 'info' | 'warn' | 'error' | 'ok'; text: string; code?: string }

let next = 1;
export const toasts = new Observable<Toast[]>([]);

/** Show a short message; the same text twice within a moment shows once. */
export function notify(kind: Toast['kind'], text: string, code?: string, ms = 4500): void {
  if (toasts.value.some((t) => t.text === text)) return;
  const toast: Toast = { id: next++, kind, text, ...(code ? { code } : {}) };
  toasts.set([...toasts.value.slice(-3), toast]);
  setTimeout(() => dismiss(toast.id), ms);
}

export function dismiss(id: number): void {
  toasts.set(toasts.value.filter((t) => t.id !== id));
}
