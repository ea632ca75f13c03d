import { describe, expect, it } from 'vitest';
import { formatWhatIf } from '../src/what-if.ts';

export const WHAT_IF_CHANGES = [
  {
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub',
    changeType: 'Modify',
    before: { apiVersion: '2025-05-01', id: 'x', name: 'vnet-hub', type: 'Microsoft.Network/virtualNetworks', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } },
    after: { apiVersion: '2025-05-01', id: 'x', name: 'vnet-hub', type: 'Microsoft.Network/virtualNetworks', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16', '10.1.0.0/16'] } } },
    delta: [
      { path: 'properties.addressSpace.addressPrefixes', propertyChangeType: 'Array', children: [{ path: '1', propertyChangeType: 'Create', after: '10.1.0.0/16' }] },
      { path: 'properties.enableDdosProtection', propertyChangeType: 'Modify', before: true, after: false },
      { path: 'tags.owner', propertyChangeType: 'Delete', before: 'netops' },
    ],
  },
  {
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/connections/cn-hub-branch',
    changeType: 'Create',
    after: { apiVersion: '2025-05-01', id: 'y', name: 'cn-hub-branch', type: 'Microsoft.Network/connections', location: 'westeurope', properties: { connectionType: 'IPsec', connectionProtocol: 'IKEv2', sharedKey: 'never-printed-psk', routingWeight: 0 } },
  },
  {
    resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/vgw-hub',
    changeType: 'NoChange',
    before: { apiVersion: '2025-05-01' },
    after: { apiVersion: '2025-05-01' },
  },
];

describe('formatWhatIf', () => {
  it('shows a value known only after another deployment as (known after deploy)', () => {
    const change = { resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/localNetworkGateways/lng-a', changeType: 'Create', after: { properties: { gatewayIpAddress: '192.0.2.1' } } };
    const text = formatWhatIf([change] as never, false, '192.0.2.1');
    expect(text).toContain('gatewayIpAddress: (known after deploy)');
    expect(text).not.toContain('192.0.2.1');
  });

  it("lays the changes out as Azure's what-if does: per scope, a symbol per resource, property changes beneath, secrets hidden", () => {
    expect(formatWhatIf(WHAT_IF_CHANGES as never)).toContain(
      [
        'Scope: /subscriptions/s/resourceGroups/rg',
        '',
        '  + Microsoft.Network/connections/cn-hub-branch [2025-05-01]',
        '    + location: "westeurope"',
        '    + properties.connectionType: "IPsec"',
        '    + properties.connectionProtocol: "IKEv2"',
        '    + properties.sharedKey: (secret)',
        '    + properties.routingWeight: 0',
        '',
        '  = Microsoft.Network/virtualNetworkGateways/vgw-hub [2025-05-01]',
        '',
        '  ~ Microsoft.Network/virtualNetworks/vnet-hub [2025-05-01]',
        '    ~ properties.addressSpace.addressPrefixes: [',
        '      + 1: "10.1.0.0/16"',
        '      ]',
        '    ~ properties.enableDdosProtection: true => false',
        '    - tags.owner: "netops"',
        '',
        'Resource changes: 1 to create, 1 to modify, 1 no change.',
        '',
      ].join('\n'),
    );
    expect(formatWhatIf(WHAT_IF_CHANGES as never)).not.toContain('never-printed-psk');
  });

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
