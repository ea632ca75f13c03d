#!/usr/bin/env node
// Runs the TypeScript sources directly: registers tsx, then starts the command line.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
