// groupCachedModels: cached hub file URLs grouped by host, repo and revision, with their sizes.
import { describe, expect, it } from 'vitest';
import { fileUrl, groupCachedModels, type ModelSource } from './hub';

const smol: ModelSource = { kind: 'hub', repo: 'HuggingFaceTB/SmolLM2-135M' };
const smolPr: ModelSource = { ...smol, revision: 'refs/pr/1' };
const mirror: ModelSource = { ...smol, host: 'http://127.0.0.1:4000' };

describe('groupCachedModels', () => {
  it('groups by repo@revision and host, sums sizes, largest first, files by name', () => {
    const entries = [
      { url: fileUrl(smol, 'model.safetensors'), bytes: 1000 },
      { url: fileUrl(smolPr, 'config.json'), bytes: 7 },
      { url: fileUrl(smol, 'config.json'), bytes: 10 },
      { url: fileUrl(mirror, 'config.json'), bytes: 5 },
      { url: 'https://example.org/not/a/hub/file', bytes: 99 },
    ];
    expect(groupCachedModels(entries)).toEqual([
      {
        source: smol,
        bytes: 1010,
        files: [
          { file: 'config.json', url: entries[2].url, bytes: 10 },
          { file: 'model.safetensors', url: entries[0].url, bytes: 1000 },
        ],
      },
      { source: smolPr, bytes: 7, files: [{ file: 'config.json', url: entries[1].url, bytes: 7 }] },
      { source: mirror, bytes: 5, files: [{ file: 'config.json', url: entries[3].url, bytes: 5 }] },
    ]);
  });
});
