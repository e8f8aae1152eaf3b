// Writes schema/driftwatch-config.schema.json and the field reference in docs/configuration.md from the zod schema.
// Usage: node --import tsx scripts/generate-json-schema.ts [--check]
// --check writes nothing and exits 1 when either file is stale (test/core/config/json-schema.test.ts checks the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildMonitorConfigJsonSchema,
  renderFieldReference,
  renderJsonSchema,
  replaceGeneratedSection,
} from '../functions/core/config/json-schema.js';

const schemaPath = fileURLToPath(new URL('../schema/driftwatch-config.schema.json', import.meta.url));
const docsPath = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));

const schema = buildMonitorConfigJsonSchema();
const outputs = [
  { path: schemaPath, text: renderJsonSchema(schema) },
  {
    path: docsPath,
    text: replaceGeneratedSection(readFileSync(docsPath, 'utf8'), renderFieldReference(schema)),
  },
];

const check = process.argv.includes('--check');
let stale = 0;
for (const { path, text } of outputs) {
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) {
    continue;
  }
  stale += 1;
  if (check) {
    process.stderr.write(`${path} is stale: run npm run schema\n`);
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
if (check && stale > 0) {
  process.exitCode = 1;
}
