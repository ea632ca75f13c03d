/**
 * One overlap benchmark run, in its own process so its time and peak memory are its own: reads a
 * plan (one prefix per line, tools/bench writes them with plan.ts), finds every overlapping pair.
 *
 *   node packages/validate/bench/overlaps.ts <plan file> <engine|pairwise>
 *
 * Prints one JSON line: prefixes, method, overlaps, milliseconds inside the process (reading,
 * parsing and finding), peak RSS in MiB. The runner measures the whole process besides.
 */
import { readFileSync } from 'node:fs';
import { findOverlapsPairwise, overlapIndexesInLines } from '@hybridnet/validate';

const [file, which] = process.argv.slice(2) as [string, string];
const method = which === 'pairwise' ? 'pairwise' : 'engine';
const start = performance.now();
const text = readFileSync(file, 'latin1');
// The engine parses each line where it lies in the text and answers with line numbers
// (findOverlaps, which the validator uses, adds an object for each prefix that overlaps something).
const lines = () => text.split('\n').filter(Boolean);
const overlaps = method === 'engine' ? overlapIndexesInLines(text).pairs.length / 2 : findOverlapsPairwise(lines().map((prefix, i) => ({ name: String(i), prefix }))).length;
const ms = performance.now() - start;
let prefixes = 0;
for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) prefixes++;
console.log(JSON.stringify({ prefixes, method, overlaps, ms: Math.round(ms), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
