// Benchmark: TopHash mask-overlap distributions on a model and a records file, to choose MEMOIR's layer,
// k, τ and TopHash variant. No training: masks of the first N edit prompts are stored in a router, then
// rephrases (should reach their own edit), locality and neighbourhood prompts (should not open the memory)
// are routed at every τ of a grid; the overlap histograms are the data of the model card's figure.
// Locality prompts of kind "text" (general text) are tallied apart as `text`; `locality` is the rest,
// other relations' facts, which share templates with stored edits and are the hard case.
// Each config also reports its best operating point for the Loc bar (the τ where at most 1% of fact
// locality prompts open the memory, and the rephrases routed there), and each layer × variant the same
// point for nearest-edit cosine on the dense feature: what any gate on that feature could reach.
// Fact locality prompts are also split by whether their best-matching edit's original answer is theirs
// (`localityBestByAnswer`): last-token features carry the answer about to be given, so same-answer
// prompts (another country of the same continent) are the ones that come closest to an edit.
// Prints one JSON object.
// Run: npx tsx bench/memoir-overlap.ts [--model dir] [--edits file] [--background file] [--N 100] [--from 0]
//        [--layers 1,2,3] [--k 128,256]   (--from 1000: the bundled benchmark's dev split, see bench/results)

import os from 'node:os';
import type { Normalize, Pooling } from '../src/editors/memoir/config';
import { histogram, operatingPoint, quantiles, type PositiveRoute } from '../src/editors/memoir/diagnostics';
import { MaskRouter } from '../src/editors/memoir/router';
import {
  computeBackgroundStats,
  hashFeature,
  makePermutation,
  topHashMask,
  type BackgroundStats,
} from '../src/editors/memoir/tophash';
import { parseRecords } from '../src/eval/records';
import { loadEditable, readBackground, readJson } from '../tools/eval/load';

const args = new Map<string, string>();
for (let i = 2; i + 1 < process.argv.length; i += 2) args.set(process.argv[i], process.argv[i + 1]);
const modelDir = args.get('--model') ?? 'public/models/editscope-facts';
const editsFile = args.get('--edits') ?? 'public/benchmarks/facts-edits.json';
const backgroundFile = args.get('--background') ?? 'public/benchmarks/background-prompts.json';
const N = Number(args.get('--N') ?? 100);
/** Index of the first record: the N records from, …, from+N−1 (a held-out split of the file). */
const FROM = Number(args.get('--from') ?? 0);
const VARIANTS: { pooling: Pooling; normalize: Normalize }[] = [
  { pooling: 'mean', normalize: 'center' },
  { pooling: 'mean', normalize: 'zscore' },
  { pooling: 'last', normalize: 'center' },
  { pooling: 'last', normalize: 'zscore' },
];
/** Overlap bins of width 0.05: the model card's figure (tools/foundry/overlap-figure.mjs). */
const HISTOGRAM_BINS = 20;
/** τ from .30 to .80 in steps of .01: every gate the app or an eval sweep might use. */
const TAUS = Array.from({ length: 51 }, (_, i) => +(0.3 + 0.01 * i).toFixed(2));
/** The Loc bar (≥ .99) leaves room for about 1% of locality prompts to open the memory; counted on
 *  the fact prompts alone, since the text prompts rarely open it and would loosen the criterion. */
const MAX_LOCALITY_OPEN = 0.01;

type Kind = 'rephrase' | 'locality' | 'text' | 'neighborhood';

const rounded = (p: ReturnType<typeof operatingPoint>) => ({
  above: +p.above.toFixed(4),
  open: +p.open.toFixed(3),
  rephraseRoutedOwn: +p.positivesRoutedOwn.toFixed(3),
});

/** Cosine similarity of two vectors. */
function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

async function main() {
  const loaded = await loadEditable(modelDir, 'cpu', 'f32');
  const { model } = loaded;
  const H = model.dims.H;
  const layers = (args.get('--layers') ?? `${model.dims.layers - 1}`).split(',').map(Number);
  const ks = (
    args.get('--k') ?? `${Math.round(H / 8)},${Math.round(H / 4)},${Math.round((4096 / 14336) * H)}`
  )
    .split(',')
    .map(Number);
  const records = parseRecords(readJson(editsFile), editsFile).slice(FROM, FROM + N);
  const background = readBackground(backgroundFile);
  const perm = makePermutation(H, 1234);
  const prompts: { kind: Kind | 'edit'; record: number; text: string; answer?: string }[] = [];
  records.forEach((r, i) => {
    prompts.push({ kind: 'edit', record: i, text: r.prompt });
    for (const p of r.rephrases) prompts.push({ kind: 'rephrase', record: i, text: p });
    for (const p of r.locality) {
      prompts.push({
        kind: p.kind === 'text' ? 'text' : 'locality',
        record: i,
        text: p.prompt,
        answer: p.answer,
      });
    }
    for (const p of r.neighborhood ?? []) prompts.push({ kind: 'neighborhood', record: i, text: p.prompt });
  });
  const configs = [];
  const denseCeilings = [];
  for (const layer of layers) {
    const stats: BackgroundStats = await computeBackgroundStats(model, layer, background);
    const acts = [];
    for (const p of prompts) {
      const ids = model.encode(p.text);
      acts.push({ a: await model.downProjInput(ids, layer), T: ids.length });
    }
    for (const variant of VARIANTS) {
      // The ceiling of any gate on this feature: nearest edit by cosine of the dense TopHash feature
      // (before the top-k), gated where at most 1% of locality prompts pass.
      const features = acts.map(({ a, T }) => hashFeature(a, T, stats, { k: H, ...variant }));
      const editIdx = prompts.flatMap((p, i) => (p.kind === 'edit' ? [i] : []));
      const nearest = (i: number) => {
        let best = { score: -Infinity, record: -1 };
        for (const e of editIdx) {
          const score = cosine(features[i], features[e]);
          if (score > best.score) best = { score, record: prompts[e].record };
        }
        return best;
      };
      const denseRephrase: PositiveRoute[] = [];
      const denseLocality: number[] = [];
      prompts.forEach((p, i) => {
        if (p.kind === 'rephrase') {
          const n = nearest(i);
          denseRephrase.push({ best: n.score, bestIsOwn: n.record === p.record });
        } else if (p.kind === 'locality') denseLocality.push(nearest(i).score);
      });
      denseCeilings.push({
        layer,
        ...variant,
        rephraseNearestIsOwn: +(
          denseRephrase.filter((r) => r.bestIsOwn).length / denseRephrase.length
        ).toFixed(3),
        atLocalityOpen1pct: rounded(operatingPoint(denseRephrase, denseLocality, MAX_LOCALITY_OPEN)),
      });
      for (const k of ks) {
        const masks = acts.map(({ a, T }) => topHashMask(a, T, stats, { k, ...variant }, perm));
        const router = new MaskRouter(H, k);
        const slotOf = new Map<number, number>();
        const recordOf = new Map<number, number>();
        prompts.forEach((p, i) => {
          if (p.kind !== 'edit') return;
          const slot = router.add(masks[i]);
          slotOf.set(p.record, slot);
          recordOf.set(slot, p.record);
        });
        type Row = { own: number; best: number; bestIsOwn: boolean; bestSharesAnswer: boolean };
        const rows: Record<Kind, Row[]> = {
          rephrase: [],
          locality: [],
          text: [],
          neighborhood: [],
        };
        prompts.forEach((p, i) => {
          if (p.kind === 'edit') return;
          const best = router.best(masks[i])!;
          const own = router.overlaps(masks[i]).get(slotOf.get(p.record)!)!;
          rows[p.kind].push({
            own,
            best: best.overlap,
            bestIsOwn: best.slot === slotOf.get(p.record),
            bestSharesAnswer: records[recordOf.get(best.slot)!].target_true === p.answer,
          });
        });
        const frac = (xs: boolean[]) =>
          xs.length === 0 ? null : +(xs.filter(Boolean).length / xs.length).toFixed(3);
        configs.push({
          layer,
          ...variant,
          k,
          randomFloor: +(k / H).toFixed(3),
          rephraseOwn: quantiles(rows.rephrase.map((r) => r.own)),
          rephraseBestIsOwn: frac(rows.rephrase.map((r) => r.bestIsOwn)),
          localityBest: quantiles(rows.locality.map((r) => r.best)),
          localityBestByAnswer: {
            same: quantiles(rows.locality.filter((r) => r.bestSharesAnswer).map((r) => r.best)),
            other: quantiles(rows.locality.filter((r) => !r.bestSharesAnswer).map((r) => r.best)),
          },
          textBest: rows.text.length === 0 ? null : quantiles(rows.text.map((r) => r.best)),
          neighborhoodBest: quantiles(rows.neighborhood.map((r) => r.best)),
          histograms: {
            bins: HISTOGRAM_BINS,
            rephraseOwn: histogram(
              rows.rephrase.map((r) => r.own),
              HISTOGRAM_BINS,
            ),
            localityBest: histogram(
              rows.locality.map((r) => r.best),
              HISTOGRAM_BINS,
            ),
            neighborhoodBest: histogram(
              rows.neighborhood.map((r) => r.best),
              HISTOGRAM_BINS,
            ),
          },
          atLocalityOpen1pct: rounded(
            operatingPoint(
              rows.rephrase,
              rows.locality.map((r) => r.best),
              MAX_LOCALITY_OPEN,
            ),
          ),
          byTau: TAUS.map((tau) => ({
            tau,
            rephraseRoutedOwn: frac(rows.rephrase.map((r) => r.bestIsOwn && r.best >= tau)),
            localityOpen: frac(rows.locality.map((r) => r.best >= tau)),
            localityOpenSameAnswer: frac(rows.locality.map((r) => r.best >= tau && r.bestSharesAnswer)),
            textOpen: frac(rows.text.map((r) => r.best >= tau)),
            neighborhoodOpen: frac(rows.neighborhood.map((r) => r.best >= tau)),
          })),
        });
      }
    }
  }
  loaded.close();
  console.log(
    JSON.stringify(
      {
        bench: 'memoir-overlap',
        date: new Date().toISOString(),
        machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, node ${process.version}`,
        command: `npx tsx bench/memoir-overlap.ts ${process.argv.slice(2).join(' ')}`.trim(),
        model: model.id,
        edits: editsFile,
        from: FROM,
        N: records.length,
        prompts: {
          rephrase: prompts.filter((p) => p.kind === 'rephrase').length,
          locality: prompts.filter((p) => p.kind === 'locality').length,
          text: prompts.filter((p) => p.kind === 'text').length,
          neighborhood: prompts.filter((p) => p.kind === 'neighborhood').length,
        },
        configs,
        denseCeilings,
      },
      null,
      2,
    ),
  );
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
