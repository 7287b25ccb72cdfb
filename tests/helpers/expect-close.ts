// expectClose: element-wise |a - e| <= atol + rtol * |e| over two numeric arrays, for tests of CPU ops
// against hand-computed values / finite differences and of WebGPU kernels against the CPU reference.
// On failure it prints the label, a few leading pairs, the first mismatch and the max abs diff.
// Not a general assertion library: shapes are the caller's business, only lengths are checked.

export interface CloseOptions {
  atol?: number;
  rtol?: number;
  label?: string;
}

type Numeric = ArrayLike<number>;

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(7) : String(x);
}

/** Throws an Error describing the mismatch; returns the max abs diff when everything is close. */
export function expectClose(actual: Numeric, expected: Numeric, opts: CloseOptions = {}): number {
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-5;
  const label = opts.label ?? 'expectClose';
  if (actual.length !== expected.length) {
    throw new Error(`${label}: length mismatch, actual ${actual.length} vs expected ${expected.length}`);
  }
  let maxdiff = 0;
  let maxAt = -1;
  let firstBad = -1;
  let bad = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const diff = Math.abs(a - e);
    // NaN never compares close, even to NaN: a NaN in a kernel output is always a bug.
    const ok = diff <= atol + rtol * Math.abs(e);
    if (!ok) {
      bad++;
      if (firstBad < 0) firstBad = i;
    }
    if (!(diff <= maxdiff)) {
      maxdiff = Number.isNaN(diff) ? Infinity : diff;
      maxAt = i;
    }
  }
  if (bad === 0) return maxdiff;
  const head = Array.from({ length: Math.min(4, actual.length) }, (_, i) => {
    return `  [${i}] actual ${fmt(actual[i])} expected ${fmt(expected[i])}`;
  });
  throw new Error(
    [
      `${label}: ${bad}/${actual.length} elements differ beyond atol=${atol} rtol=${rtol}`,
      ...head,
      `  first mismatch [${firstBad}] actual ${fmt(actual[firstBad])} expected ${fmt(expected[firstBad])}`,
      `  maxdiff ${fmt(maxdiff)} at [${maxAt}]`,
    ].join('\n'),
  );
}
