#!/usr/bin/env node
// Runs the TypeScript CLI (cli/main.ts) through tsx, in this process.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
