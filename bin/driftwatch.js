#!/usr/bin/env node
// Entry point installed as `driftwatch`: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./driftwatch.ts');
