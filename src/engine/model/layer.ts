// One decoder layer of any supported family (src/engine/model/families.ts) against Backend, split where
// editing needs it:
//   attentionBlockForward: xMid = xIn + [attnOutNorm](o_proj(attn(rope(qn), rope(kn), v)))   over
//                          rmsnorm(xIn); qn, kn = q, k or their per-head q_norm/k_norm (qwen3, gemma3)
//   mlpPreForward:         a    = act(gate_proj(xn2)) * up_proj(xn2), xn2 = rmsnorm(xMid), act = silu
//                          (SwiGLU) or gelu_pytorch_tanh (GeGLU, gemma3)
//   (caller)               mlp  = down_proj(a) [+ MEMOIR (a ⊙ mask) · Wmᵀ]
//   mlpResidualForward:    xOut = xMid + [mlpOutNorm](mlp)
//   layerBackward:         dxIn from dxOut through all of the above (no parameter gradients), as
//                          mlpBackward (dxMid from dxOut) then attentionBlockBackward (dxIn from dxMid).
// attn is causal over the layer's window of keys (p.window: gemma3's sliding layers; 0 = all keys).
// [·] are gemma3's post norms. Norm weights arrive with Gemma's 1+w and its attention scale folded in
// (params.ts), so every norm here is the plain x·rstd·w. LayerActs holds every activation one layer
// saves; inference reuses one set for all layers. The MLP half has its own MlpActs / MlpGrads (and
// attention its AttentionGrads) so that it can run on fewer rows than attention (edit.ts: the top
// layer's MLP on the scored rows only).

import type { Backend, Tensor } from '../backend';
import type { ModelConfig } from './config';
import { FAMILIES } from './families';
import type { LayerParams } from './params';
import { gatherRows } from './row-blocks';

/** The MLP half of LayerActs: (T, ·) over the rows the MLP runs on. */
export interface MlpActs {
  xn2: Tensor; // (T, C) rmsnorm(xMid)
  rstd2: Tensor; // (T)
  gate: Tensor; // (T, H)
  up: Tensor; // (T, H)
  a: Tensor; // (T, H) down_proj input = act(gate) * up
  mlp: Tensor; // (T, C) down_proj(a) (+ memory): the MLP output before any post norm
  mlpOut: Tensor | null; // (T, C) mlpOutNorm(mlp), gemma3
  rstd3: Tensor | null; // (T) its rstd
}

export interface LayerActs extends MlpActs {
  T: number;
  xn1: Tensor; // (T, C) rmsnorm(xIn)
  rstd1: Tensor; // (T)
  qRaw: Tensor | null; // (T, NH*HS) q_proj output before q_norm (qwen3, gemma3)
  qRstd: Tensor | null; // (T*NH)
  kRaw: Tensor | null; // (T, NKV*HS) k_proj output before k_norm
  kRstd: Tensor | null; // (T*NKV)
  q: Tensor; // (T, NH*HS), normed and rotated in place; q3 is its (T, NH, HS) view
  k: Tensor; // (T, NKV*HS), normed and rotated in place
  v: Tensor; // (T, NKV*HS)
  q3: Tensor;
  k3: Tensor;
  v3: Tensor;
  probs: Tensor; // (NH, T, Tk) attention softmax
  att: Tensor; // (T, NH*HS); att3 its (T, NH, HS) view
  att3: Tensor;
  attOut: Tensor; // (T, C) o_proj(att)
  attOutN: Tensor | null; // (T, C) attnOutNorm(attOut), gemma3
  rstdA: Tensor | null; // (T) its rstd
}

/** Keys for attention: a KV cache (maxT, NKV, HS) written at rows past.., or null to attend over this
 *  call's own k/v (no past), which is what the edit path does so that it can backpropagate. */
export interface KVSlot {
  k: Tensor;
  v: Tensor;
  past: number;
}

export function allocMlpActs(b: Backend, cfg: ModelConfig, T: number): MlpActs {
  const { hiddenSize: C, intermediateSize: H } = cfg;
  const post = FAMILIES[cfg.modelType].postNorms;
  return {
    xn2: b.alloc([T, C]),
    rstd2: b.alloc([T]),
    gate: b.alloc([T, H]),
    up: b.alloc([T, H]),
    a: b.alloc([T, H]),
    mlp: b.alloc([T, C]),
    mlpOut: post ? b.alloc([T, C]) : null,
    rstd3: post ? b.alloc([T]) : null,
  };
}

/** Activations of a layer over T query rows attending to Tk keys; the MLP half over mlpRows rows
 *  (default T; fewer when only some rows' MLP output is needed, as in edit.ts's top layer). */
export function allocActs(b: Backend, cfg: ModelConfig, T: number, Tk: number, mlpRows = T): LayerActs {
  const { hiddenSize: C, numHeads: NH, numKvHeads: NKV, headDim: HS } = cfg;
  const family = FAMILIES[cfg.modelType];
  const qk = family.qkNorm;
  const q = b.alloc([T, NH * HS]);
  const k = b.alloc([T, NKV * HS]);
  const v = b.alloc([T, NKV * HS]);
  const att = b.alloc([T, NH * HS]);
  return {
    T,
    xn1: b.alloc([T, C]),
    rstd1: b.alloc([T]),
    qRaw: qk ? b.alloc([T, NH * HS]) : null,
    qRstd: qk ? b.alloc([T * NH]) : null,
    kRaw: qk ? b.alloc([T, NKV * HS]) : null,
    kRstd: qk ? b.alloc([T * NKV]) : null,
    q,
    k,
    v,
    q3: b.view(q, [T, NH, HS]),
    k3: b.view(k, [T, NKV, HS]),
    v3: b.view(v, [T, NKV, HS]),
    probs: b.alloc([NH, T, Tk]),
    att,
    att3: b.view(att, [T, NH, HS]),
    attOut: b.alloc([T, C]),
    attOutN: family.postNorms ? b.alloc([T, C]) : null,
    rstdA: family.postNorms ? b.alloc([T]) : null,
    ...allocMlpActs(b, cfg, mlpRows),
  };
}

export function freeActs(b: Backend, acts: LayerActs): void {
  const { q3: _q, k3: _k, v3: _v, att3: _a, T: _T, ...owned } = acts; // views die with their tensors
  for (const t of Object.values(owned)) if (t) b.free(t);
}

/** x (T, C) = wte[ids], × √C for gemma3 (in f32, as transformers scales it for f32 weights); wte (V, C)
 *  in row blocks (row-blocks.ts). */
export function embedForward(
  b: Backend,
  cfg: ModelConfig,
  x: Tensor,
  ids: Tensor,
  wte: readonly Tensor[],
): void {
  gatherRows(b, x, ids, wte);
  if (FAMILIES[cfg.modelType].embedScale) b.scaleForward(x, x, Math.fround(Math.sqrt(cfg.hiddenSize)));
}

/** out (T, heads*HS) = per-head rmsnorm of inp (T, heads*HS) with weight (HS); rstd (T*heads). */
function headNormForward(b: Backend, cfg: ModelConfig, out: Tensor, rstd: Tensor, inp: Tensor, w: Tensor) {
  const HS = cfg.headDim;
  const rows = [rstd.shape[0], HS];
  b.rmsnormForward(b.view(out, rows), rstd, b.view(inp, rows), w, cfg.rmsNormEps);
}

/** xMid (T, C) = xIn + attention block(xIn); xMid may be xIn. positions (T) i32. */
export function attentionBlockForward(
  b: Backend,
  cfg: ModelConfig,
  p: LayerParams,
  acts: LayerActs,
  xMid: Tensor,
  xIn: Tensor,
  positions: Tensor,
  kv: KVSlot | null,
): void {
  b.rmsnormForward(acts.xn1, acts.rstd1, xIn, p.inputNorm, cfg.rmsNormEps);
  b.matmulForward(acts.qRaw ?? acts.q, acts.xn1, p.q, p.qBias);
  b.matmulForward(acts.kRaw ?? acts.k, acts.xn1, p.k, p.kBias);
  b.matmulForward(acts.v, acts.xn1, p.v, p.vBias);
  if (acts.qRaw && acts.qRstd && p.qNorm) headNormForward(b, cfg, acts.q, acts.qRstd, acts.qRaw, p.qNorm);
  if (acts.kRaw && acts.kRstd && p.kNorm) headNormForward(b, cfg, acts.k, acts.kRstd, acts.kRaw, p.kNorm);
  b.ropeForward(acts.q3, acts.q3, positions, p.invFreq);
  b.ropeForward(acts.k3, acts.k3, positions, p.invFreq);
  if (kv) {
    b.kvWrite(kv.k, acts.k3, kv.past);
    b.kvWrite(kv.v, acts.v3, kv.past);
    b.attentionForward(acts.att3, acts.probs, acts.q3, kv.k, kv.v, kv.past, p.window);
  } else {
    b.attentionForward(acts.att3, acts.probs, acts.q3, acts.k3, acts.v3, 0, p.window);
  }
  b.matmulForward(acts.attOut, acts.att, p.o, p.oBias);
  if (acts.attOutN && acts.rstdA && p.attnOutNorm) {
    b.rmsnormForward(acts.attOutN, acts.rstdA, acts.attOut, p.attnOutNorm, cfg.rmsNormEps);
    b.addForward(xMid, xIn, acts.attOutN);
  } else {
    b.addForward(xMid, xIn, acts.attOut);
  }
}

/** acts.a (T, H) = act(gate_proj(rmsnorm(xMid))) * up_proj(rmsnorm(xMid)). */
export function mlpPreForward(
  b: Backend,
  cfg: ModelConfig,
  p: LayerParams,
  acts: MlpActs,
  xMid: Tensor,
): void {
  b.rmsnormForward(acts.xn2, acts.rstd2, xMid, p.mlpNorm, cfg.rmsNormEps);
  b.matmulForward(acts.gate, acts.xn2, p.gate, null);
  b.matmulForward(acts.up, acts.xn2, p.up, null);
  if (FAMILIES[cfg.modelType].activation.value === 'gelu_pytorch_tanh') {
    b.gegluForward(acts.a, acts.gate, acts.up);
  } else {
    b.swigluForward(acts.a, acts.gate, acts.up);
  }
}

/** xOut (T, C) = xMid + acts.mlp, through mlpOutNorm first where the family has it; xOut may be xMid. */
export function mlpResidualForward(
  b: Backend,
  cfg: ModelConfig,
  p: LayerParams,
  acts: MlpActs,
  xOut: Tensor,
  xMid: Tensor,
): void {
  if (acts.mlpOut && acts.rstd3 && p.mlpOutNorm) {
    b.rmsnormForward(acts.mlpOut, acts.rstd3, acts.mlp, p.mlpOutNorm, cfg.rmsNormEps);
    b.addForward(xOut, xMid, acts.mlpOut);
  } else {
    b.addForward(xOut, xMid, acts.mlp);
  }
}

/** Scratch gradients of the MLP half's backward: (T, C) over its rows, except as noted. */
export interface MlpGrads {
  dxn: Tensor;
  tmp: Tensor;
  da: Tensor; // (T, H)
  dgate: Tensor; // (T, H)
  dup: Tensor; // (T, H)
}

/** Scratch gradients of the attention half's backward: all (T, C) except as noted. */
export interface AttentionGrads {
  dxn: Tensor;
  tmp: Tensor;
  dxMid: Tensor;
  datt: Tensor; // (T, NH*HS); datt3 its (T, NH, HS) view
  datt3: Tensor;
  dq3: Tensor; // (T, NH, HS); dq its (T, NH*HS) view
  dq: Tensor;
  dk3: Tensor; // (T, NKV, HS); dk its (T, NKV*HS) view
  dk: Tensor;
  dv3: Tensor; // (T, NKV, HS); dv its (T, NKV*HS) view
  dv: Tensor;
  dqRaw: Tensor | null; // (T, NH*HS) ∂loss/∂(q_proj output) through q_norm
  dkRaw: Tensor | null; // (T, NKV*HS)
}

/** Scratch gradients of one whole layer's backward, reused across layers; the halves share dxn and tmp. */
export type LayerGrads = MlpGrads & AttentionGrads;

export function allocMlpGrads(b: Backend, cfg: ModelConfig, T: number): MlpGrads {
  const { hiddenSize: C, intermediateSize: H } = cfg;
  return {
    dxn: b.alloc([T, C]),
    tmp: b.alloc([T, C]),
    da: b.alloc([T, H]),
    dgate: b.alloc([T, H]),
    dup: b.alloc([T, H]),
  };
}

/** The attention half's scratch, using `shared` (T, C) dxn and tmp. */
function attentionGrads(
  b: Backend,
  cfg: ModelConfig,
  T: number,
  shared: { dxn: Tensor; tmp: Tensor },
): AttentionGrads {
  const { hiddenSize: C, numHeads: NH, numKvHeads: NKV, headDim: HS } = cfg;
  const qk = FAMILIES[cfg.modelType].qkNorm;
  const datt = b.alloc([T, NH * HS]);
  const dq3 = b.alloc([T, NH, HS]);
  const dk3 = b.alloc([T, NKV, HS]);
  const dv3 = b.alloc([T, NKV, HS]);
  return {
    ...shared,
    dxMid: b.alloc([T, C]),
    datt,
    datt3: b.view(datt, [T, NH, HS]),
    dq3,
    dq: b.view(dq3, [T, NH * HS]),
    dk3,
    dk: b.view(dk3, [T, NKV * HS]),
    dv3,
    dv: b.view(dv3, [T, NKV * HS]),
    dqRaw: qk ? b.alloc([T, NH * HS]) : null,
    dkRaw: qk ? b.alloc([T, NKV * HS]) : null,
  };
}

export function allocAttentionGrads(b: Backend, cfg: ModelConfig, T: number): AttentionGrads {
  const C = cfg.hiddenSize;
  return attentionGrads(b, cfg, T, { dxn: b.alloc([T, C]), tmp: b.alloc([T, C]) });
}

export function allocGrads(b: Backend, cfg: ModelConfig, T: number): LayerGrads {
  const mlp = allocMlpGrads(b, cfg, T);
  return { ...mlp, ...attentionGrads(b, cfg, T, mlp) };
}

export function freeMlpGrads(b: Backend, g: MlpGrads): void {
  for (const t of [g.dxn, g.tmp, g.da, g.dgate, g.dup]) b.free(t);
}

export function freeAttentionGrads(b: Backend, g: AttentionGrads): void {
  for (const t of [g.dxn, g.tmp, g.dxMid, g.datt, g.dq3, g.dk3, g.dv3, g.dqRaw, g.dkRaw]) if (t) b.free(t);
}

export function freeGrads(b: Backend, g: LayerGrads): void {
  for (const t of [g.da, g.dgate, g.dup]) b.free(t);
  freeAttentionGrads(b, g);
}

/** dxIn (T, C) = ∂loss/∂xIn given dxOut (T, C) = ∂loss/∂xOut; dxIn may be dxOut. The layer ran with
 *  kv = null, so acts hold this call's own rotated k and v. */
export function layerBackward(
  b: Backend,
  cfg: ModelConfig,
  p: LayerParams,
  acts: LayerActs,
  g: LayerGrads,
  dxIn: Tensor,
  dxOut: Tensor,
  xIn: Tensor,
  xMid: Tensor,
  positions: Tensor,
): void {
  mlpBackward(b, cfg, p, acts, g, g.dxMid, dxOut, xMid);
  attentionBlockBackward(b, cfg, p, acts, g, dxIn, g.dxMid, xIn, positions);
}

/** dmlp (T, C) = ∂loss/∂acts.mlp (the MLP output before any post norm, where MEMOIR's memory adds)
 *  given dxOut = ∂loss/∂xOut; dxOut itself where the family has no post norm, else written to dmlp. */
export function mlpOutBackward(
  b: Backend,
  p: LayerParams,
  acts: MlpActs,
  dmlp: Tensor,
  dxOut: Tensor,
): Tensor {
  if (!(acts.rstd3 && p.mlpOutNorm)) return dxOut;
  b.rmsnormBackward(dmlp, null, dxOut, acts.mlp, p.mlpOutNorm, acts.rstd3);
  return dmlp;
}

/** dxMid = ∂loss/∂xMid given dxOut = ∂loss/∂xOut, over the rows acts and g were made for;
 *  xOut = xMid + [post](down(act(gate(xn2)) * up(xn2))), xn2 = rmsnorm(xMid). */
export function mlpBackward(
  b: Backend,
  cfg: ModelConfig,
  p: LayerParams,
  acts: MlpActs,
  g: MlpGrads,
  dxMid: Tensor,
  dxOut: Tensor,
  xMid: Tensor,
): void {
  const dmlp = mlpOutBackward(b, p, acts, g.tmp, dxOut);
  b.matmulBackward(g.da, null, null, dmlp, acts.a, p.down);
  if (FAMILIES[cfg.modelType].activation.value === 'gelu_pytorch_tanh') {
    b.gegluBackward(g.dgate, g.dup, g.da, acts.gate, acts.up);
  } else {
    b.swigluBackward(g.dgate, g.dup, g.da, acts.gate, acts.up);
  }
  b.matmulBackward(g.dxn, null, null, g.dgate, acts.xn2, p.gate);
  b.matmulBackward(g.tmp, null, null, g.dup, acts.xn2, p.up);
  b.addForward(g.dxn, g.dxn, g.tmp);
  b.rmsnormBackward(g.tmp, null, g.dxn, xMid, p.mlpNorm, acts.rstd2);
  b.addForward(dxMid, dxOut, g.tmp);
}

/** dRaw (T, heads*HS) = ∂loss/∂(projection output) through the per-head norm, given d (T, heads*HS). */
function headNormBackward(
  b: Backend,
  cfg: ModelConfig,
  dRaw: Tensor,
  d: Tensor,
  raw: Tensor,
  w: Tensor,
  rstd: Tensor,
) {
  const rows = [rstd.shape[0], cfg.headDim];
  b.rmsnormBackward(b.view(dRaw, rows), null, b.view(d, rows), b.view(raw, rows), w, rstd);
}

/** dxIn (T, C) = ∂loss/∂xIn given dxMid (T, C) = ∂loss/∂xMid;
 *  xMid = xIn + [post](o(attn(rope(qn(xn1)), rope(kn(xn1)), v(xn1)))), xn1 = rmsnorm(xIn). */
export function attentionBlockBackward(
  b: Backend,
  cfg: ModelConfig,
  p: LayerParams,
  acts: LayerActs,
  g: AttentionGrads,
  dxIn: Tensor,
  dxMid: Tensor,
  xIn: Tensor,
  positions: Tensor,
): void {
  let dAttOut = dxMid;
  if (acts.rstdA && p.attnOutNorm) {
    b.rmsnormBackward(g.tmp, null, dxMid, acts.attOut, p.attnOutNorm, acts.rstdA);
    dAttOut = g.tmp;
  }
  b.matmulBackward(g.datt, null, null, dAttOut, acts.att, p.o);
  b.attentionBackward(g.dq3, g.dk3, g.dv3, g.datt3, acts.q3, acts.k3, acts.v3, acts.probs, p.window);
  b.ropeBackward(g.dq3, g.dq3, positions, p.invFreq);
  b.ropeBackward(g.dk3, g.dk3, positions, p.invFreq);
  let [dq, dk] = [g.dq, g.dk];
  if (g.dqRaw && g.dkRaw && acts.qRaw && acts.kRaw && acts.qRstd && acts.kRstd && p.qNorm && p.kNorm) {
    headNormBackward(b, cfg, g.dqRaw, g.dq, acts.qRaw, p.qNorm, acts.qRstd);
    headNormBackward(b, cfg, g.dkRaw, g.dk, acts.kRaw, p.kNorm, acts.kRstd);
    [dq, dk] = [g.dqRaw, g.dkRaw];
  }
  b.matmulBackward(g.dxn, null, null, dq, acts.xn1, p.q);
  b.matmulBackward(g.tmp, null, null, dk, acts.xn1, p.k);
  b.addForward(g.dxn, g.dxn, g.tmp);
  b.matmulBackward(g.tmp, null, null, g.dv, acts.xn1, p.v);
  b.addForward(g.dxn, g.dxn, g.tmp);
  b.rmsnormBackward(g.tmp, null, g.dxn, xIn, p.inputNorm, acts.rstd1);
  b.addForward(dxIn, dxMid, g.tmp);
}
