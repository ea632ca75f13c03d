import { describe, expect, it } from 'vitest';
import { formatWhatIf } from '../src/what-if.ts';
import { WHAT_IF_CHANGES } from './mock-arm.ts';

describe('formatWhatIf', () => {
  it('colours symbols only when asked, and the plain text is the same', () => {
    const coloured = formatWhatIf(WHAT_IF_CHANGES as never, true);
    expect(coloured).toContain('\u001b[32m+ Microsoft.Network/connections/cn-hub-branch\u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(formatWhatIf(WHAT_IF_CHANGES as never, false));
  });

  it('hides secrets nested in object values and spells out control characters from Azure', () => {
    const text = formatWhatIf([
      {
        resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm\u001b[2J',
        changeType: 'Modify',
        delta: [{ path: 'properties.osProfile', propertyChangeType: 'Modify', before: { adminUsername: 'a', adminPassword: 'old-secret' }, after: { adminUsername: 'a', adminPassword: 'new-secret' } }],
      },
      { resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections/c', changeType: 'Delete', before: { properties: { sharedKey: 'gone-secret', authorizationKey: 'k' } } },
    ]);
    expect(text).not.toMatch(/old-secret|new-secret|gone-secret|\u001b/);
    expect(text).toContain('~ properties.osProfile: {"adminUsername":"a","adminPassword":"(secret)"} => {"adminUsername":"a","adminPassword":"(secret)"}');
    expect(text).toContain('vm\\u001b[2J');
    expect(text).toContain('Resource changes: 1 to delete, 1 to modify.');
  });

  it('says when nothing changes', () => {
    expect(formatWhatIf([])).toMatch(/Resource changes: none\.\n$/);
  });
});
