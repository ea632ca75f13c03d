/**
 * The loader's bad-input table: one problem per case, the code it must raise and where. Shared
 * by the model's loader tests and the command line's no-write tests.
 */
import { MAX_TOPOLOGY_BYTES, MODEL_CODES } from '@hybridnet/model';
import { MINIMAL, mutate } from './helpers.ts';

export interface Case {
  readonly name: string;
  readonly text: string;
  readonly code: keyof typeof MODEL_CODES;
  /** `line:column` of the first diagnostic with that code. */
  readonly at: string;
  readonly message?: RegExp;
  /** The file's bytes when they are not UTF-8 text (then `text` only names them). */
  readonly bytes?: Uint8Array;
}

const big = `hybridnet: 1\nname: big\n# ${'x'.repeat(MAX_TOPOLOGY_BYTES)}\n`;

export const CASES: Case[] = [
  { name: 'malformed YAML', text: mutate(MINIMAL, '  location: westeurope', '  location: [westeurope'), code: 'hybridnet/load/yaml-syntax', at: '4:13', message: /this flow list is not closed/ },
  { name: 'duplicate key', text: mutate(MINIMAL, 'name: minimal\n', 'name: minimal\nname: again\n'), code: 'hybridnet/load/duplicate-key', at: '3:1' },
  { name: 'empty file', text: '\n  \n# only a comment\n', code: 'hybridnet/load/empty-file', at: '1:1' },
  { name: 'a file over the size limit (50 MB class)', text: big, code: 'hybridnet/load/file-too-large', at: '1:1' },
  { name: 'deeply nested input', text: `${MINIMAL}extra: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, code: 'hybridnet/load/too-complex', at: '32:72', message: /more than 64 nested/ },
  {
    name: 'alias expansion bomb',
    text: `${MINIMAL}x:\n  a: &a [1,1,1,1,1,1,1,1,1,1]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
    code: 'hybridnet/load/too-complex',
    at: '1:1',
  },
  { name: 'unknown key', text: mutate(MINIMAL, '      addressSpace:', '      adressSpace:'), code: 'hybridnet/model/unknown-key', at: '9:7', message: /unknown key "adressSpace"/ },
  { name: 'missing field', text: mutate(MINIMAL, '        sku: VpnGw1AZ\n', ''), code: 'hybridnet/model/missing-field', at: '16:9', message: /"sku"/ },
  { name: 'wrong type (string for a list)', text: mutate(MINIMAL, 'lan: [10.1.0.0/16]', 'lan: 10.1.0.0/16'), code: 'hybridnet/model/wrong-type', at: '20:10', message: /expected an array, found string/ },
  { name: 'wrong type (.nan for a number)', text: mutate(MINIMAL, '        sku: VpnGw1AZ\n', '        sku: VpnGw1AZ\n        bgp: { asn: .nan }\n'), code: 'hybridnet/model/wrong-type', at: '18:21', message: /found not a number \(\.nan\)/ },
  { name: 'wrong type (.inf for a number)', text: mutate(MINIMAL, '        sku: VpnGw1AZ\n', '        sku: VpnGw1AZ\n        bgp: { asn: -.inf }\n'), code: 'hybridnet/model/wrong-type', at: '18:21', message: /found minus infinity/ },
  { name: 'wrong type (number for a boolean)', text: mutate(MINIMAL, '        sku: VpnGw1AZ\n', '        sku: VpnGw1AZ\n        activeActive: 2\n'), code: 'hybridnet/model/wrong-type', at: '18:23' },
  { name: 'enum value not allowed', text: mutate(MINIMAL, 'sku: VpnGw1AZ', 'sku: VpnGw9'), code: 'hybridnet/model/invalid-value', at: '17:14', message: /"VpnGw9" is not allowed/ },
  { name: 'unknown device type', text: mutate(MINIMAL, 'type: rras', 'type: cisco'), code: 'hybridnet/model/invalid-value', at: '22:13' },
  { name: 'number out of range', text: mutate(MINIMAL, '    type: site-to-site\n', '    type: site-to-site\n    tunnels: [{ instance: 0, weight: 70000 }]\n'), code: 'hybridnet/model/out-of-range', at: '28:38' },
  { name: 'empty list where one entry is needed', text: mutate(MINIMAL, 'lan: [10.1.0.0/16]', 'lan: []'), code: 'hybridnet/model/too-few-items', at: '20:10' },
  { name: 'too many list entries', text: mutate(MINIMAL, '    type: site-to-site\n', '    type: site-to-site\n    tunnels: [{ instance: 0 }, { instance: 1 }, { instance: 0 }]\n'), code: 'hybridnet/model/too-many-items', at: '28:14' },
  { name: 'octet out of range 10.0.0.300/24', text: mutate(MINIMAL, 'prefix: 10.0.1.0/24', 'prefix: 10.0.0.300/24'), code: 'hybridnet/model/invalid-cidr', at: '14:19' },
  { name: 'prefix length 10.1.0.0/33', text: mutate(MINIMAL, 'lan: [10.1.0.0/16]', 'lan: [10.1.0.0/33]'), code: 'hybridnet/model/invalid-cidr', at: '20:11' },
  { name: 'leading zeros 010.1.0.0/16', text: mutate(MINIMAL, 'lan: [10.1.0.0/16]', 'lan: [010.1.0.0/16]'), code: 'hybridnet/model/invalid-cidr', at: '20:11' },
  { name: 'host bits set 10.0.0.5/24', text: mutate(MINIMAL, 'addressSpace: [10.0.0.0/16]', 'addressSpace: [10.0.0.5/24]'), code: 'hybridnet/model/cidr-host-bits', at: '9:22', message: /network is 10\.0\.0\.0\/24/ },
  { name: 'prefix without length', text: mutate(MINIMAL, 'lan: [10.1.0.0/16]', 'lan: [10.1.0.0]'), code: 'hybridnet/model/invalid-cidr', at: '20:11', message: /no prefix length/ },
  { name: 'invalid IP address', text: mutate(MINIMAL, 'privateIp: 10.1.0.4', 'privateIp: 10.1.0.256'), code: 'hybridnet/model/invalid-ip', at: '24:18' },
  { name: 'IPv6 where IPv4 is required', text: mutate(MINIMAL, 'prefix: 10.0.1.0/24', 'prefix: 2001:db8::/64'), code: 'hybridnet/model/invalid-cidr', at: '14:19' },
  { name: 'invalid name', text: mutate(MINIMAL, 'name: branch', "name: \"branch'; Remove-Item\""), code: 'hybridnet/model/invalid-name', at: '19:11' },
  { name: 'invalid ASN', text: mutate(MINIMAL, '      privateIp: 10.1.0.4\n', '      privateIp: 10.1.0.4\n    bgp: { asn: 4294967296, peerIp: 10.1.0.4, advertise: [10.1.0.0/16] }\n'), code: 'hybridnet/model/invalid-asn', at: '25:17' },
  { name: 'invalid region', text: mutate(MINIMAL, 'location: westeurope', 'location: West Europe'), code: 'hybridnet/model/invalid-region', at: '4:13' },
  { name: 'literal secret', text: mutate(MINIMAL, 'sharedKey:\n      env: HUB_BRANCH_PSK', 'sharedKey: "Sup3rS3cret!"'), code: 'hybridnet/model/literal-secret', at: '30:16', message: /written literally/ },
  { name: 'literal numeric secret', text: mutate(MINIMAL, 'sharedKey:\n      env: HUB_BRANCH_PSK', 'sharedKey: 12345678'), code: 'hybridnet/model/literal-secret', at: '30:16' },
  { name: 'duplicate name', text: mutate(MINIMAL, '  - name: branch\n', '  - name: vgw-hub\n'), code: 'hybridnet/model/duplicate-name', at: '19:11', message: /already used by the VPN gateway at azure\.vnets\[0\]\.vpnGateway/ },
  { name: 'names that differ only in case and punctuation', text: mutate(MINIMAL, '  - name: branch\n', '  - name: VGW_Hub\n').replace('site: branch', 'site: VGW_Hub'), code: 'hybridnet/model/name-collision', at: '19:11', message: /"VGW_Hub" differs from the VPN gateway "vgw-hub" at azure\.vnets\[0\]\.vpnGateway only in case or punctuation/ },
  { name: 'duplicate subnet', text: mutate(MINIMAL, '        - name: workload', '        - name: GatewaySubnet'), code: 'hybridnet/model/duplicate-name', at: '13:17' },
  { name: 'dangling reference', text: mutate(MINIMAL, '    site: branch\n', '    site: brnach\n'), code: 'hybridnet/model/unknown-reference', at: '29:11', message: /no site is named "brnach"/ },
  { name: 'reference to the wrong kind', text: mutate(MINIMAL, 'gateway: vgw-hub', 'gateway: vnet-hub'), code: 'hybridnet/model/unknown-reference', at: '28:14', message: /"vnet-hub" is a VNet, not a VPN gateway/ },
  { name: 'a %YAML 1.1 directive (octal, sexagesimal, yes, merge keys)', text: `%YAML 1.1\n---\n${MINIMAL}`, code: 'hybridnet/load/yaml-version', at: '1:1', message: /YAML 1\.1; hybridnet reads YAML 1\.2 only/ },
  { name: 'compact nested sequences on one line', text: `${MINIMAL}extra:\n  ${'- '.repeat(200_000)}x\n`, code: 'hybridnet/load/too-complex', at: '33:257', message: /nested more than 128 levels on one line/ },
  { name: 'an alias to no anchor', text: mutate(MINIMAL, 'name: minimal', 'name: *missing'), code: 'hybridnet/load/yaml-syntax', at: '2:7', message: /alias \*missing refers to no anchor/ },
  { name: 'UTF-16 without a byte-order mark', text: '(UTF-16LE bytes)', bytes: Buffer.from(MINIMAL, 'utf16le'), code: 'hybridnet/load/encoding', at: '1:1', message: /UTF-16 without a byte-order mark/ },
  { name: 'a byte that is not UTF-8', text: '(bytes)', bytes: Buffer.concat([Buffer.from('hybridnet: 1\nname: '), Buffer.from([0xff, 0xfe]), Buffer.from('x\n')]), code: 'hybridnet/load/encoding', at: '2:7', message: /not UTF-8 text \(byte 0xff at offset 19\)/ },
];

