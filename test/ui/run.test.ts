import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDebugFile } from '../../source/ui/run.js';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-mi-tui-debug-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('writeDebugFile', () => {
  const error = new Error('outer', { cause: new Error('inner cause') });

  it('appends the error, its stack and cause to the --debug file', () => {
    const file = path.join(dir, 'debug.log');
    expect(writeDebugFile(file, error)).toBe(file);
    expect(writeDebugFile(file, 'second')).toBe(file);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('outer');
    expect(text).toContain('inner cause');
    expect(text).toContain('run.test.ts');
    expect(text).toContain('second');
  });

  it('writes a new file inside --debug when it names a directory', () => {
    const file = writeDebugFile(dir, error, new Date('2025-01-02T03:04:05Z'));
    expect(file).toBeDefined();
    expect(path.dirname(file ?? '')).toBe(dir);
    expect(path.basename(file ?? '')).toMatch(/^batch-mi-tui-2025-01-02T03-04-05\.000Z-\d+\.log$/);
  });

  it('returns undefined instead of throwing when the file cannot be written', () => {
    expect(writeDebugFile(path.join(dir, 'missing', 'dir', 'x.log'), error)).toBeUndefined();
  });
});
