/** The archive helpers of `npm run package` (build/package.ts): same files give the same bytes; no write outside the target. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { deterministicZip, readZip, unzipTo } from '../../build/package.js';

const files = (entries: Array<[string, string]>) => new Map(entries.map(([name, text]) => [name, Buffer.from(text)]));

describe('deterministicZip', () => {
  it('writes the same bytes for the same files, whatever order they were listed in and whenever it runs', async () => {
    const a = await deterministicZip(
      files([
        ['manifest.json', '{}'],
        ['assets/a.js', 'a'],
        ['_locales/en/messages.json', '{}'],
      ]),
    );
    const b = await deterministicZip(
      files([
        ['assets/a.js', 'a'],
        ['_locales/en/messages.json', '{}'],
        ['manifest.json', '{}'],
      ]),
    );
    expect(a.equals(b)).toBe(true);
    const zip = await JSZip.loadAsync(a);
    expect(Object.keys(zip.files)).toEqual(['_locales/en/messages.json', 'assets/a.js', 'manifest.json']);
    for (const entry of Object.values(zip.files)) expect(entry.date.toISOString()).toBe('1980-01-01T00:00:00.000Z');
  });

  it('round-trips through readZip byte for byte', async () => {
    const input = files([
      ['icons/icon.png', '\u0089PNG'],
      ['src/panel/panel.html', '<!doctype html>'],
    ]);
    expect(await readZip(await deterministicZip(input))).toEqual(input);
  });
});

describe('unzipTo', () => {
  it('writes the files under the target directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3cd-unzip-'));
    try {
      await unzipTo(await deterministicZip(files([['a/b.txt', 'hello']])), dir);
      expect(readFileSync(join(dir, 'a/b.txt'), 'utf8')).toBe('hello');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never writes outside it, even for an entry named ../something', async () => {
    const zip = new JSZip();
    zip.file('../escaped.txt', 'x', { createFolders: false });
    const bytes = await zip.generateAsync({ type: 'nodebuffer' });
    const dir = mkdtempSync(join(tmpdir(), 's3cd-unzip-'));
    try {
      // JSZip drops the leading ../ when reading (the check in unzipTo is the second line of defence).
      await unzipTo(bytes, join(dir, 'inner'));
      expect(readdirSync(dir)).toEqual(['inner']);
      expect(readdirSync(join(dir, 'inner'))).toEqual(['escaped.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
