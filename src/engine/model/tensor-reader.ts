// What the engine reads a checkpoint through: tensors by name as host arrays, whole or a range of
// rows at a time. src/models implements it (over safetensors files, whole or streamed); the upload in
// params.ts only consumes it. Types only.

/** A tensor read from a file: f16 keeps its raw half bits, everything else is f32. */
export type HostTensor =
  | { shape: number[]; dtype: 'f32'; data: Float32Array }
  | { shape: number[]; dtype: 'f16'; data: Uint16Array };

/** A weight (OC, C) whose rows are decoded to f32 on demand, a range at a time. */
export interface TensorRows {
  shape: number[];
  /** Rows r0..r1-1 as ((r1 - r0) * C) f32: a view of F32 data, a fresh decode of F16/BF16. */
  rows(r0: number, r1: number): Float32Array;
}

/** Tensors by name, read now (SafetensorsFile) or once their bytes have arrived (SafetensorsStream). */
export interface TensorReader {
  readonly description: string;
  shape(name: string): number[] | undefined;
  get(name: string): HostTensor | Promise<HostTensor>;
  getF32(name: string): F32Tensor | Promise<F32Tensor>;
  /** `names` in the order reading them costs least (a stream: its file's order); default as given. */
  order?(names: readonly string[]): string[];
  /** A weight (OC, C) whose rows decode to f32 on demand: quantized without a whole f32 copy. */
  getRows?(name: string): Promise<TensorRows>;
}

type F32Tensor = { shape: number[]; data: Float32Array };
