/**
 * Azure's custom IPsec/IKE policy in RRAS's terms: one policy object drives both ends of the
 * tunnel. Enum names from Add-VpnS2SInterface (MicrosoftDocs/windows-powershell-docs,
 * remoteaccess/Add-VpnS2SInterface.md) and Azure's IpsecPolicy; the mapping table is in
 * ../shared/reference/generators.md §1.2. The validator rejects what RRAS lacks (GCM for IKE).
 */
import type { IpsecPolicy } from '@hybridnet/model';
import type { RrasPolicy } from './ir.ts';

const DH_GROUP: Record<IpsecPolicy['dhGroup'], string> = {
  None: 'None', DHGroup1: 'Group1', DHGroup2: 'Group2', DHGroup14: 'Group14', DHGroup2048: 'Group14', ECP256: 'ECP256', ECP384: 'ECP384', DHGroup24: 'Group24',
};
const PFS_GROUP: Record<IpsecPolicy['pfsGroup'], string> = {
  None: 'None', PFS1: 'PFS1', PFS2: 'PFS2', PFS2048: 'PFS2048', PFS14: 'PFS2048', ECP256: 'ECP256', ECP384: 'ECP384', PFS24: 'PFS24', PFSMM: 'PFSMM',
};
const ESP_INTEGRITY: Record<IpsecPolicy['ipsecIntegrity'], string> = {
  MD5: 'MD596', SHA1: 'SHA196', SHA256: 'SHA256128', GCMAES128: 'GCMAES128', GCMAES192: 'GCMAES192', GCMAES256: 'GCMAES256',
};

export function rrasPolicy(policy: IpsecPolicy): RrasPolicy {
  return {
    encryptionMethod: policy.ikeEncryption,
    integrityCheckMethod: policy.ikeIntegrity,
    cipherTransformConstants: policy.ipsecEncryption,
    authenticationTransformConstants: ESP_INTEGRITY[policy.ipsecIntegrity],
    dhGroup: DH_GROUP[policy.dhGroup],
    pfsGroup: PFS_GROUP[policy.pfsGroup],
    saLifeTimeSeconds: policy.saLifeTimeSeconds,
    saDataSizeKilobytes: policy.saDataSizeKilobytes,
  };
}
