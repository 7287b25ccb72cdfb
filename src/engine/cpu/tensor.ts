// CPU tensors: host typed arrays behind the opaque Tensor handle, plus the entry checks the CPU
// backend runs (backend identity, use-after-free, dtype, upload sizes). Not the ops themselves.

import { type DType, type HostData, type Tensor, QUANT_BLOCK } from '../backend';
import { EngineError } from '../errors';
import { checkDtype, numel } from '../shapes';

/** Host memory shared by a tensor and its views; `freed` catches use-after-free, which on WebGPU would
 *  read a recycled buffer. */
interface Store {
  host: HostData;
  freed: boolean;
}

export class CpuTensor implements Tensor {
  readonly backend = 'cpu' as const;
  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly store: Store,
    readonly isView = false,
  ) {}
}

const WEIGHT_DTYPES: readonly DType[] = ['f32', 'f16', 'q8', 'q4'];

export function cpu(op: string, name: string, t: Tensor): CpuTensor {
  if (!(t instanceof CpuTensor)) {
    throw new EngineError('SHAPE', `${op}: ${name} lives on backend "${t.backend}", expected "cpu"`);
  }
  if (t.store.freed)
    throw new EngineError('SHAPE', `${op}: ${name} (${t.shape.join(', ')}) was already freed`);
  return t;
}

export function f32(op: string, name: string, t: Tensor): Float32Array {
  checkDtype(op, name, t, ['f32']);
  const host = cpu(op, name, t).store.host;
  // A tensor's dtype is its host data's dtype; the narrowing is for the compiler.
  if (host.dtype !== 'f32') throw new EngineError('SHAPE', `${op}: ${name} must be f32, got ${host.dtype}`);
  return host.data;
}

export function i32(op: string, name: string, t: Tensor): Int32Array {
  checkDtype(op, name, t, ['i32']);
  const host = cpu(op, name, t).store.host;
  if (host.dtype !== 'i32') throw new EngineError('SHAPE', `${op}: ${name} must be i32, got ${host.dtype}`);
  return host.data;
}

/** Checks a weight (OC, C) of any weight dtype and returns its host data for decodeRow. */
export function weightData(op: string, t: Tensor): HostData {
  checkDtype(op, 'weight', t, WEIGHT_DTYPES);
  return cpu(op, 'weight', t).store.host;
}

/** Element counts each HostData field must have for a tensor of `n` elements. */
export function checkHost(shape: readonly number[], host: HostData): void {
  const n = numel(shape);
  const bad = (field: string, want: number, got: number): never => {
    throw new EngineError(
      'SHAPE',
      `upload: ${host.dtype} ${field} for (${shape.join(', ')}) must have ${want} elements, got ${got}`,
    );
  };
  if (host.dtype === 'q8' || host.dtype === 'q4') {
    if (shape.length !== 2 || shape[1] % QUANT_BLOCK !== 0) {
      throw new EngineError(
        'SHAPE',
        `upload: ${host.dtype} weights must be (OC, C) with C % ${QUANT_BLOCK} == 0, got (${shape.join(', ')})`,
      );
    }
    if (host.scales.length !== n / QUANT_BLOCK) bad('scales', n / QUANT_BLOCK, host.scales.length);
    if (host.dtype === 'q8' && host.values.length !== n) bad('values', n, host.values.length);
    if (host.dtype === 'q4' && host.packed.length !== n / 2) bad('packed', n / 2, host.packed.length);
  } else if (host.data.length !== n) {
    bad('data', n, host.data.length);
  }
}

/** Copies host data so the caller may reuse its arrays, as a GPU upload would. */
export function copyHost(host: HostData): HostData {
  switch (host.dtype) {
    case 'f32':
      return { dtype: 'f32', data: host.data.slice() };
    case 'i32':
      return { dtype: 'i32', data: host.data.slice() };
    case 'f16':
      return { dtype: 'f16', data: host.data.slice() };
    case 'q8':
      return { dtype: 'q8', values: host.values.slice(), scales: host.scales.slice() };
    case 'q4':
      return { dtype: 'q4', packed: host.packed.slice(), scales: host.scales.slice() };
  }
}
