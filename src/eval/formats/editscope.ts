// The project's own record shape (public/benchmarks/README.md), read one record at a time with
// records.ts's checks, so one bad record is skipped instead of failing the file. Not a conversion.
import { readRecord } from '../records';
import type { EditFileFormat } from './format';

export const editscope: EditFileFormat = {
  name: 'editscope',
  label: 'Editscope (public/benchmarks/README.md)',
  idField: 'id',
  matches: (raw) => 'prompt' in raw && 'target_new' in raw && 'target_true' in raw,
  read: (raw, _index, at) => readRecord(raw, at),
};
