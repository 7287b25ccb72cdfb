// Packed mask bitsets and |q ∩ row| for every row at once — the inner loop of MEMOIR routing. Uses a
// 210-byte hand-assembled WebAssembly SIMD kernel (v128 AND + i8x16.popcnt) where the runtime validates
// it, else the same loop in plain JS with a 16-bit popcount table. Not the routing policy (router.ts).

/** Rows are padded to whole 128-bit lanes so the SIMD kernel never needs a tail loop. */
const LANE_WORDS = 4;

/** Bit counts of all 16-bit values (JS path): two lookups per 32-bit word. */
const POPCOUNT16 = new Uint8Array(65536);
for (let i = 1; i < 65536; i++) POPCOUNT16[i] = POPCOUNT16[i >> 1] + (i & 1);

/**
 * counts(q, bits, rows, lanes, out): for r < rows, out[r] = Σ_lanes popcnt(q[lane] & bits[r][lane]),
 * all byte offsets into the imported memory "env" "mem". Per lane: i8x16.popcnt, widened pairwise to
 * i16x8 and summed (≤ 16 per i16 lane per step, so up to 4095 lanes = H 524,160 cannot overflow).
 */
// prettier-ignore
const KERNEL = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x09, 0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00, // type: (i32 x5) -> ()
  0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, // import env.mem, min 1 page
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x07, 0x0a, 0x01, 0x06, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x73, 0x00, 0x00, // export "counts"
  0x0a, 0x9e, 0x01, 0x01, 0x9b, 0x01, // code section, one body of 155 bytes
  0x02, 0x03, 0x7f, 0x01, 0x7b, // locals 5 r, 6 w, 7 qp: i32; 8 acc: v128
  0x02, 0x40, 0x03, 0x40, // block, loop (rows)
  0x20, 0x05, 0x20, 0x02, 0x4f, 0x0d, 0x01, // if r >= rows break
  0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x08, // acc = 0
  0x20, 0x00, 0x21, 0x07, 0x41, 0x00, 0x21, 0x06, // qp = q; w = 0
  0x02, 0x40, 0x03, 0x40, // block, loop (lanes)
  0x20, 0x06, 0x20, 0x03, 0x4f, 0x0d, 0x01, // if w >= lanes break
  0x20, 0x08, // acc
  0x20, 0x07, 0xfd, 0x00, 0x04, 0x00, 0x20, 0x01, 0xfd, 0x00, 0x04, 0x00, // load q lane, row lane
  0xfd, 0x4e, 0xfd, 0x62, 0xfd, 0x7d, 0xfd, 0x8e, 0x01, 0x21, 0x08, // acc += pairwise(popcnt(and))
  0x20, 0x07, 0x41, 0x10, 0x6a, 0x21, 0x07, // qp += 16
  0x20, 0x01, 0x41, 0x10, 0x6a, 0x21, 0x01, // bits += 16
  0x20, 0x06, 0x41, 0x01, 0x6a, 0x21, 0x06, // w += 1
  0x0c, 0x00, 0x0b, 0x0b, // continue; end loop, end block
  0x20, 0x04, 0x20, 0x05, 0x41, 0x02, 0x74, 0x6a, // &out[r]
  0x20, 0x08, 0xfd, 0x7f, 0x22, 0x08, 0xfd, 0x1b, 0x00, // lanes of i32x4 pairwise(acc)
  0x20, 0x08, 0xfd, 0x1b, 0x01, 0x6a, 0x20, 0x08, 0xfd, 0x1b, 0x02, 0x6a, 0x20, 0x08, 0xfd, 0x1b, 0x03, 0x6a,
  0x36, 0x02, 0x00, // out[r] = sum
  0x20, 0x05, 0x41, 0x01, 0x6a, 0x21, 0x05, // r += 1
  0x0c, 0x00, 0x0b, 0x0b, 0x0b, // continue; end loop, end block, end function
]);

type Kernel = (q: number, bits: number, rows: number, lanes: number, out: number) => void;

function instantiate(memory: WebAssembly.Memory): Kernel | null {
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(KERNEL)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(KERNEL), { env: { mem: memory } });
  return instance.exports.counts as Kernel;
}

const PAGE = 65536;

/** Growable rows of H-bit bitsets; row order is the caller's business. */
export class BitsetRows {
  /** 32-bit words per row (H rounded up to whole 128-bit lanes). */
  readonly W: number;
  readonly simd: boolean;
  private readonly memory: WebAssembly.Memory | null;
  private readonly kernel: Kernel | null;
  private capacity = 0;
  /** Layout (bytes): query row at 0, then `capacity` rows, then `capacity` i32 counts. */
  private words = new Int32Array(0);
  private counts = new Int32Array(0);

  constructor(H: number, useSimd = true) {
    this.W = Math.ceil(H / 32 / LANE_WORDS) * LANE_WORDS;
    this.memory =
      useSimd && typeof WebAssembly !== 'undefined' ? new WebAssembly.Memory({ initial: 1 }) : null;
    this.kernel = this.memory ? instantiate(this.memory) : null;
    this.simd = this.kernel !== null;
    this.reserve(64);
  }

  /** Row r as a bitset view (valid until the next reserve). */
  row(r: number): Int32Array {
    return this.words.subarray((r + 1) * this.W, (r + 2) * this.W);
  }

  /** Make room for `rows` rows, keeping the existing ones. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(rows, this.capacity * 2);
    const wordCount = (capacity + 1) * this.W;
    const bytes = wordCount * 4 + capacity * 4;
    const old = this.words;
    if (this.memory) {
      const missing = bytes - this.memory.buffer.byteLength;
      if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
      this.words = new Int32Array(this.memory.buffer, 0, wordCount);
      this.counts = new Int32Array(this.memory.buffer, wordCount * 4, capacity);
      // The rows stay where they are; only the counts area moves past the new rows.
    } else {
      this.words = new Int32Array(wordCount);
      this.words.set(old);
      this.counts = new Int32Array(capacity);
    }
    this.capacity = capacity;
  }

  /** Set row r to the bitset of cols (distinct, < H). */
  setRow(r: number, cols: Int32Array): void {
    const row = this.row(r);
    row.fill(0);
    for (const c of cols) row[c >>> 5] |= 1 << (c & 31);
  }

  /** Copy row `from` onto row `to`. */
  moveRow(from: number, to: number): void {
    this.words.copyWithin((to + 1) * this.W, (from + 1) * this.W, (from + 2) * this.W);
  }

  /** |q ∩ row r| for r < rows, into a view valid until the next call or reserve. */
  overlapCounts(q: Int32Array, rows: number): Int32Array {
    const { W, words } = this;
    const query = words.subarray(0, W);
    query.fill(0);
    for (const c of q) query[c >>> 5] |= 1 << (c & 31);
    const out = this.counts.subarray(0, rows);
    if (this.kernel) {
      this.kernel(0, W * 4, rows, W / LANE_WORDS, words.length * 4);
      return out;
    }
    for (let r = 0, o = W; r < rows; r++, o += W) {
      let n = 0;
      for (let w = 0; w < W; w++) {
        const x = query[w] & words[o + w];
        n += POPCOUNT16[x & 0xffff] + POPCOUNT16[x >>> 16];
      }
      out[r] = n;
    }
    return out;
  }
}
