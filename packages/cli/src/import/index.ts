/**
 * `hybridnet import azure`: read an estate (read.ts), map it onto the model (map.ts), write it as a
 * commented, canonical topology (write.ts).
 */
import { parseTopology, type AzureCloudName } from '@hybridnet/model';
import { estateToTopology } from './map.ts';
import { readEstate, type ReadOptions } from './read.ts';
import { importedYaml } from './write.ts';

export interface ImportOptions extends ReadOptions {
  /** The topology's name (default: the network's resource group). */
  readonly name?: string;
  readonly cloud: AzureCloudName;
}

export interface ImportResult {
  readonly text: string;
  readonly refused: readonly { readonly scope: string; readonly message: string }[];
  /** Nothing could be read: nothing to write. */
  readonly nothingRead: boolean;
  /** What was imported, counted (for the summary line). */
  readonly counts: string;
  readonly unrepresented: number;
  /** Sites whose ranges the user must fill in (Azure holds only their router's address). */
  readonly rangesToFill: readonly string[];
  /** Problems loading the written topology (none, unless the estate holds something the model refuses across elements). */
  readonly loadErrors: readonly string[];
}

export async function importAzure(options: ImportOptions): Promise<ImportResult> {
  const estate = await readEstate(options);
  const nothingRead = estate.groups.length === 0 && estate.refused.length > 0;
  const imported = estateToTopology(estate, { name: options.name, cloud: options.cloud });
  const groups = estate.groups.length;
  const header = `Imported by hybridnet import azure from subscription ${options.subscription} (${groups} resource group${groups === 1 ? '' : 's'} read).\nAdd intents (what must reach what), and what Azure does not hold (marked below), then run hybridnet validate.`;
  const azure = imported.topology.azure as { vnets: unknown[] };
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const text = nothingRead ? '' : importedYaml(imported, header);
  const loaded = nothingRead ? undefined : parseTopology(text, 'imported topology');
  const loadErrors = (loaded?.diagnostics ?? []).filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`);
  return {
    text,
    rangesToFill: imported.rangesToFill,
    loadErrors,
    refused: estate.refused,
    nothingRead,
    counts: [count(azure.vnets.length, 'VNet'), count(((imported.topology.sites ?? []) as unknown[]).length, 'site'), count(((imported.topology.connections ?? []) as unknown[]).length, 'connection')].join(', '),
    unrepresented: imported.unrepresented.length,
  };
}
