import * as Y from 'yjs';
import { ROOT_OF, SINGLETON_KINDS, type EntityKind, type ParameterProps } from '../../protocol/index.ts';

export interface EntityRead {
  rev: string | undefined;
  get(prop: string): unknown;
  number(prop: string): number | undefined;
}

/**
 * Current values of the `set` doc, read when a sentence needs them ("down 3 dB" from
 * where the fader is now). Names come from the NameIndex; values are never cached.
 */
export class SetValues {
  /** One parse reads a device's parameters once; a SetValues lives for one parse. */
  private readonly paramCache = new Map<string, ParamInfo[]>();

  constructor(readonly doc: Y.Doc) {}

  entity(kind: EntityKind, id: string): EntityRead | undefined {
    const root = this.doc.getMap<unknown>(ROOT_OF[kind]);
    const map = SINGLETON_KINDS.has(kind) ? root : root.get(id);
    if (!(map instanceof Y.Map) || map.get('id') !== id) return undefined;
    const rev: unknown = map.get('rev');
    return {
      rev: typeof rev === 'string' ? rev : undefined,
      get: (prop): unknown => map.get(prop),
      number: (prop) => {
        const v: unknown = map.get(prop);
        return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
      },
    };
  }

  song(): EntityRead | undefined {
    return this.entity('song', 'song');
  }

  /** The parameters of a device: id, name, range and display, in Live's order. */
  params(deviceId: string): ParamInfo[] {
    const cached = this.paramCache.get(deviceId);
    if (cached) return cached;
    const read = this.readParams(deviceId);
    this.paramCache.set(deviceId, read);
    return read;
  }

  private readParams(deviceId: string): ParamInfo[] {
    const device = this.entity('device', deviceId);
    const out: ParamInfo[] = [];
    const ids = device?.get('params');
    const macros = device?.get('macros');
    const macroIds = Array.isArray(macros) ? macros : [];
    if (!Array.isArray(ids)) return out;
    for (const id of ids) {
      if (typeof id !== 'string') continue;
      const p = this.entity('parameter', id);
      if (!p) continue;
      const items = p.get('valueItems');
      out.push({
        id,
        deviceId,
        name: typeof p.get('name') === 'string' ? (p.get('name') as string) : '',
        value: p.number('value') ?? 0,
        min: p.number('min') ?? 0,
        max: p.number('max') ?? 1,
        isQuantized: p.get('isQuantized') === true,
        valueItems: Array.isArray(items) ? items.filter((v): v is string => typeof v === 'string') : [],
        display: typeof p.get('display') === 'string' ? (p.get('display') as string) : '',
        defaultValue: p.number('defaultValue'),
        rev: p.rev,
        macro: macroIds.indexOf(id),
      });
    }
    return out;
  }
}

/** A parameter's props as the `set` doc holds them, with its id, rev and rack macro index (0-based, or -1). */
export interface ParamInfo extends Omit<ParameterProps, 'defaultValue' | 'isEnabled'> {
  id: string;
  defaultValue: number | undefined;
  rev: string | undefined;
  macro: number;
}
