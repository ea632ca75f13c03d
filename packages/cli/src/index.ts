/**
 * @hybridnet/cli: the `hybridnet` command line and the artefact writer it shares with the Nx
 * targets.
 */
export { run, EXIT, type Io } from './main.ts';
export { loadTopologyFile, checkTopology, runGenerators, InputError, type Checked } from './pipeline.ts';
export { writeArtefacts, renderTarget, type RenderedFile, type TargetOutput, type Manifest } from './writer.ts';
export { TARGETS, findTargets, type TargetEntry } from './targets.ts';
export { checkBicep, parseSarifLogs, CHECK_CODES, type SarifResult } from './check.ts';
