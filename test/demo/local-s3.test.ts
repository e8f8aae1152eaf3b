import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startLocalS3 } from '../../scripts/local/s3.js';

// The s3rver starter the tests and the demo share: objects round-trip, and closing removes the server's directory
// unless the caller keeps it (the demo leaves its objects for a person to look at).

describe('startLocalS3', () => {
  it('computes the objects put, and removes its directory on close', async () => {
    // Given a server with one bucket and two objects
    const s3 = await startLocalS3(['bucket-a']);
    await s3.put('bucket-a', 'p/one.json', '{"n":1}');
    await s3.put('bucket-a', 'p/two.txt', 'two');
    // When they are read back / Then they are what was put, and listed in key order
    expect(await s3.getJson<{ n: number }>('bucket-a', 'p/one.json')).toEqual({ n: 1 });
    expect(await s3.getText('bucket-a', 'p/two.txt')).toBe('two');
    expect(await s3.listKeys('bucket-a', 'p/')).toEqual(['p/one.json', 'p/two.txt']);
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(s3.directory)).toBe(true);
    // When it is closed / Then its directory is gone
    await s3.close();
    expect(existsSync(s3.directory)).toBe(false);
  });

  it('computes a kept directory with the objects when closed with keep', async () => {
    const s3 = await startLocalS3(['bucket-b']);
    await s3.put('bucket-b', 'k.txt', 'kept');
    await s3.close({ keep: true });
    expect(await readdir(s3.directory)).toContain('bucket-b');
    await rm(s3.directory, { recursive: true, force: true });
  });
});
