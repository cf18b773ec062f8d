import { describe, expect, it } from 'vitest';
import {
  checkpointPath,
  commitPath,
  multipartCheckpointPath,
  parseLogFileName,
  v2CheckpointPath,
} from '../../src/delta/log/log-path.ts';

// Names from PROTOCOL.md "Delta Log Entries", "Checkpoint Naming Scheme" and "Log Compaction Files".
describe('parseLogFileName', () => {
  it('parses commits, checkpoints, crc and compaction files', () => {
    expect(parseLogFileName('00000000000000000042.json')).toEqual({ kind: 'commit', version: 42, ext: 'json' });
    expect(parseLogFileName('_delta_log/00000000000000000010.checkpoint.parquet')).toEqual({ kind: 'checkpoint', version: 10, ext: 'parquet' });
    expect(parseLogFileName('00000000000000000010.checkpoint.0000000001.0000000003.parquet')).toEqual({
      kind: 'multipartCheckpoint', version: 10, part: 1, parts: 3, ext: 'parquet',
    });
    expect(parseLogFileName('00000000000000000002.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json')).toEqual({
      kind: 'v2Checkpoint', version: 2, uuid: '80a083e8-7026-4e79-81be-64bd76c43a11', ext: 'json',
    });
    expect(parseLogFileName('00000000000000000007.crc')).toEqual({ kind: 'crc', version: 7, ext: 'crc' });
    expect(parseLogFileName('00000000000000000004.00000000000000000006.compacted.json')).toEqual({
      kind: 'compaction', version: 4, endVersion: 6, ext: 'json',
    });
    expect(parseLogFileName('_last_checkpoint')?.kind).toBe('lastCheckpoint');
  });

  it('ignores everything else instead of failing', () => {
    for (const name of [
      '.tmp/00000000000000000005.json',
      '_staged_commits/00000000000000000001.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json',
      '_autostats/00000000000000000007.0000000000.stats.json',
      '0000000000000000001.json', // 19 digits
      '00000000000000000001.json.tmp',
      '.00000000000000000001.json.crc',
      '00000000000000000010.checkpoint.0000000004.0000000003.parquet', // part > parts
      '00000000000000000006.00000000000000000004.compacted.json', // end < start
      'junk.txt',
    ]) {
      expect(parseLogFileName(name), name).toBeUndefined();
    }
  });

  it('formats names that parse back', () => {
    expect(commitPath(3)).toBe('_delta_log/00000000000000000003.json');
    expect(parseLogFileName(checkpointPath(12))).toMatchObject({ kind: 'checkpoint', version: 12 });
    expect(parseLogFileName(multipartCheckpointPath(5, 2, 3))).toMatchObject({ kind: 'multipartCheckpoint', version: 5, part: 2, parts: 3 });
    const uuid = '3a0d65cd-4056-49b8-937b-95f9e3ee90e5';
    expect(parseLogFileName(v2CheckpointPath(9, uuid, 'parquet'))).toMatchObject({ kind: 'v2Checkpoint', version: 9, uuid });
  });
});
