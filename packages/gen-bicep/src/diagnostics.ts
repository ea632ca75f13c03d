/** Codes the Bicep generator raises. */
export const BICEP_CODES = {
  'hybridnet/gen-bicep/invalid-name': 'a resource name outside what Azure accepts for that resource type',
} as const;

export type BicepCode = keyof typeof BICEP_CODES;
