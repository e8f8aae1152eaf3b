/**
 * docs/reliability.md names, for each guarantee, the test file and the test that proves it. This keeps the page
 * true: every named file exists and holds a test of exactly that name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DOC = 'docs/reliability.md';

/**
 * [file, test name] pairs from the last cell of each table row. Within a cell a `test/...ts` path applies to the
 * names after it; a cell that starts with a name uses the first file named in its section.
 */
function namedTests(markdown: string): [string, string][] {
  const pairs: [string, string][] = [];
  let sectionFile: string | undefined;
  let file: string | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) sectionFile = undefined;
    file = sectionFile;
    if (
      !line.startsWith('|') ||
      line.startsWith('| ---') ||
      line.startsWith('| guarantee') ||
      line.startsWith('| property')
    )
      continue;
    const cells = line.split(' | ');
    const last = cells[cells.length - 1] ?? '';
    // Walk the cell in order: a `test/...ts` path switches the file, a "quoted" name belongs to the current file.
    for (const m of last.matchAll(/`(test\/[^`]+\.test\.ts)`|"((?:[^"\\]|\\.)*)"/g)) {
      if (m[1]) {
        file = m[1];
        sectionFile ??= m[1];
      } else if (m[2] !== undefined && file) pairs.push([file, m[2].replace(/\\"/g, '"')]);
    }
  }
  return pairs;
}

describe('docs/reliability.md', () => {
  it('computes every named test as existing in its file, under exactly that name', () => {
    // Given the page
    const pairs = namedTests(readFileSync(DOC, 'utf8'));
    // When each file is read and searched for the quoted name
    const missing = pairs.filter(
      ([file, name]) => !existsSync(file) || !readFileSync(file, 'utf8').includes(name),
    );
    // Then all are found
    expect(pairs.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it('computes a link to it from the README', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('](docs/reliability.md)');
  });
});
