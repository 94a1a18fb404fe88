import { parseCommand } from '../../server/commands/parse-command.ts';
import { IntentService } from '../../server/intent/intent-service.ts';
import { NameIndex } from '../../server/intent/names/name-index.ts';
import { SetMirror } from '../../server/mirror/set-mirror.ts';
import type { EntityChange } from '../../protocol/index.ts';
import { loadDemoSnapshot } from '../../testkit/demo-set.ts';
import { syntheticEntities, type SyntheticTrack } from '../../testkit/synthetic-set.ts';
import { CORPUS } from '../../testkit/intent-corpus.ts';

function mirrorOf(epoch: string, entities: EntityChange[]): SetMirror {
  const mirror = new SetMirror();
  mirror.applySnapshot(epoch, entities);
  return mirror;
}
import type { BenchContext } from '../lib/context.ts';
import { round, summarize, type Summary } from '../lib/stats.ts';

export interface TimedRun { parses: number; ms: Summary; cpuUsPerParse: number }

export interface IntentResults {
  /** The whole corpus on the demo set, many rounds. */
  demo: TimedRun & { phrases: number };
  /** Baseline in the same run: the schema step every ordinary command already pays (parseCommand). */
  commandSchemaStep: TimedRun;
  /** Typical phrasings on a heavy set: 128 tracks, 16 scenes, ~1,200 clips, 512 devices, 6,144 parameters. */
  heavy: TimedRun & { phrases: number; tracks: number; clips: number; params: number };
  /** Building the name index from the doc (after a rename or a new set): demo and heavy. */
  indexBuildMs: { demo: Summary; heavy: Summary };
}

/**
 * Parse time of `intent.parse` (docs/words.md): p50 and p99 per parse over the corpus,
 * with CPU time per parse, beside the schema step of an ordinary command measured the
 * same way in the same process. Warm-up rounds are not recorded.
 */
export async function intent(ctx: BenchContext): Promise<IntentResults> {
  const rounds = Math.max(5, Math.round(ctx.seconds));
  const demoSnapshot = await loadDemoSnapshot();
  const demoSet = { mirror: mirrorOf(demoSnapshot.epoch, demoSnapshot.entities) };
  const intents = new IntentService(demoSet.mirror);
  const phrases = CORPUS.map((p) => p.say);
  const demo = timed(rounds, phrases, (text) => intents.parse(text));
  ctx.log(`  demo set: ${demo.parses} parses, p50 ${demo.ms.p50} ms, p99 ${demo.ms.p99} ms, ${demo.cpuUsPerParse} µs CPU each`);

  const raw = phrases.map((_, i) => ({ id: `bench-${i.toString(36).padStart(8, '0')}`, action: 'track.set_volume', target: 't4', args: { value: 0.5 + (i % 40) / 100 } }));
  let k = 0;
  const schema = timed(rounds, phrases, () => parseCommand(raw[k++ % raw.length]));
  ctx.log(`  baseline, a command's schema step: p50 ${schema.ms.p50} ms, p99 ${schema.ms.p99} ms, ${schema.cpuUsPerParse} µs CPU each`);

  const heavySpec = heavySet();
  const heavyMirror = mirrorOf('syn', syntheticEntities(heavySpec));
  const heavyIntents = new IntentService(heavyMirror);
  const heavyPhrases = HEAVY_PHRASES;
  const heavy = timed(Math.max(3, Math.round(rounds / 2)), heavyPhrases, (text) => heavyIntents.parse(text));
  ctx.log(`  heavy set: ${heavy.parses} parses, p50 ${heavy.ms.p50} ms, p99 ${heavy.ms.p99} ms, ${heavy.cpuUsPerParse} µs CPU each`);

  const build = (doc: import('yjs').Doc, n: number): Summary => {
    const samples: number[] = [];
    for (let i = 0; i < n + 2; i++) {
      const t0 = performance.now();
      NameIndex.fromDoc(doc);
      if (i >= 2) samples.push(performance.now() - t0);
    }
    return summarize(samples);
  };
  const params = [...heavyMirror.doc.getMap('params').keys()].length;
  const clips = [...heavyMirror.doc.getMap('clips').keys()].length;
  intents.close();
  heavyIntents.close();
  return {
    demo: { ...demo, phrases: phrases.length },
    commandSchemaStep: schema,
    heavy: { ...heavy, phrases: heavyPhrases.length, tracks: heavySpec.tracks.length, clips, params },
    indexBuildMs: { demo: build(demoSet.mirror.doc, 50), heavy: build(heavyMirror.doc, 10) },
  };
}

function timed(rounds: number, phrases: readonly string[], run: (text: string) => unknown): TimedRun {
  for (let w = 0; w < 2; w++) for (const p of phrases) run(p);
  const samples: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const p of phrases) {
      const t0 = performance.now();
      run(p);
      samples.push(performance.now() - t0);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { parses: samples.length, ms: summarize(samples).p50 < 0.01 ? precise(samples) : summarize(samples), cpuUsPerParse: round((cpu.user + cpu.system) / samples.length, 1) };
}

/** Sub-10-µs figures keep three decimals. */
function precise(samples: number[]): Summary {
  const s = summarize(samples.map((x) => x * 1000));
  return { n: s.n, p50: s.p50 / 1000, p90: s.p90 / 1000, p99: s.p99 / 1000, max: s.max / 1000, mean: s.mean / 1000 };
}

const INSTRUMENTS = ['Kick', 'Snare', 'Hats', 'Tom', 'Bass', 'Sub', 'Keys', 'Piano', 'Organ', 'Pad', 'Strings', 'Brass', 'Lead', 'Arp', 'Guitar', 'Vox'];
const DEVICES = [['EQ Eight', 'Eq8'], ['Compressor', 'Compressor2'], ['Saturator', 'Saturator'], ['Utility', 'StereoGain']] as const;

function heavySet() {
  const tracks: SyntheticTrack[] = [];
  for (let i = 0; i < 128; i++) {
    const name = `${INSTRUMENTS[i % INSTRUMENTS.length]} ${Math.floor(i / INSTRUMENTS.length) + 1}`;
    tracks.push({
      name,
      kind: i % 3 === 0 ? 'audio' : 'midi',
      devices: DEVICES.map(([device, className]) => ({ name: device, className, params: Array.from({ length: 12 }, (_, p) => ({ name: p === 0 ? 'Threshold' : `Control ${p}`, value: 0, min: -40, max: 0, display: '0.0 dB' })) })),
      clips: Array.from({ length: 16 }, (_, s) => ((i * 7 + s * 3) % 5 < 3 ? `${name} ${['A', 'B', 'C', 'D'][s % 4]}${s}` : null)),
    });
  }
  return { tracks, returns: ['Plate', 'Hall', 'Slap', 'Echo'], scenes: Array.from({ length: 16 }, (_, i) => (i % 4 === 0 ? `Part ${i / 4 + 1}` : '')), cues: [{ name: 'Top', time: 0 }, { name: 'Drop', time: 64 }] };
}

const HEAVY_PHRASES = [
  'mute kick 3', 'vox 5 down 3 dB', 'send 20% of snare 7 to plate', 'play kick 3 in scene 4', 'tempo 100',
  'bypass the compressor on bass 2', "what's the tempo?", 'mute the trumpet', 'make the chorus bigger', 'solo strings 1 and brass 2',
  'pan guitar 4 hard left', 'launch part 3', 'go to the drop', 'organ 6 compressor threshold to -20 dB', 'more hall on piano 3',
  'delete everything', 'arm track 40', 'unsolo everything', 'mute the keyz 2', 'what is muted',
];
