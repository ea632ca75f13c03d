/** Codes the Bicep generator raises. */
export const BICEP_CODES = {
  'hybridnet/gen-bicep/not-yet-expressed': 'a part of the topology this generator does not emit yet (it says so instead of dropping it)',
  'hybridnet/gen-bicep/invalid-name': 'a resource name outside what Azure accepts for that resource type',
} as const;

export type BicepCode = keyof typeof BICEP_CODES;
