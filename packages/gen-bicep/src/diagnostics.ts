/** Codes the Bicep generator raises. */
export const BICEP_CODES = {
  'hybridnet/gen-bicep/not-yet-expressed': 'a part of the topology a static template cannot finish, with the step that completes it (it says so instead of dropping it)',
  'hybridnet/gen-bicep/invalid-name': 'a resource name outside what Azure accepts for that resource type',
} as const;

export type BicepCode = keyof typeof BICEP_CODES;
