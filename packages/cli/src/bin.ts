/** Process entry of the command line: run, then exit with its code. */
import { run } from './main.ts';

process.exitCode = await run(process.argv.slice(2));
