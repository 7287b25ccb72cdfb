// EngineError: the one error type the engine, model loaders and editors throw. Its `code` lets the
// UI branch after the error has crossed postMessage as plain `{code, message}` data.
// Message format (STYLE §10): "<place>: <problem, with values>. <next step>" + optional "\nHINT: ...".
// Not a logger, and not for programming bugs inside tests (plain Error is fine there).

export type EngineErrorCode =
  | 'UNIMPLEMENTED' // a backend lacks an op or dtype; never silently falls back
  | 'SHAPE' // a tensor's shape or dtype does not match what an op expects
  | 'SHADER_COMPILE' // WGSL failed to compile: "<pipeline key>: <browser message>"
  | 'OOM' // an allocation failed even after emptying the buffer pool
  | 'DEVICE_LOST' // the GPU device went away; the model must be reloaded
  | 'LOAD' // a model file is missing, malformed or unsupported
  | 'STORAGE' // IndexedDB refused to store a change (quota, a blocked or closed database)
  | 'CANCELLED'; // an AbortSignal fired

export interface SerializedEngineError {
  code: EngineErrorCode;
  message: string;
}

export class EngineError extends Error {
  readonly code: EngineErrorCode;

  /** `hint`, when given, becomes a final "HINT: ..." line of the message. */
  constructor(code: EngineErrorCode, message: string, hint?: string) {
    super(hint ? `${message}\nHINT: ${hint}` : message);
    this.name = 'EngineError';
    this.code = code;
  }

  toJSON(): SerializedEngineError {
    return { code: this.code, message: this.message };
  }

  static fromJSON(e: SerializedEngineError): EngineError {
    return new EngineError(e.code, e.message);
  }
}

/** Throws CANCELLED when `signal` has fired; call it between units of work (files, tokens, steps). */
export function throwIfAborted(signal: AbortSignal | undefined, place: string): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', `${place}: cancelled`);
}
