/**
 * Every diagnostic code the model package can raise, with a one-line meaning. The package README
 * lists them with examples and a meta-test checks each one has a test case.
 */
export const MODEL_CODES = {
  'hybridnet/load/file-too-large': 'the topology file is larger than hybridnet reads',
  'hybridnet/load/empty-file': 'the topology file is empty',
  'hybridnet/load/yaml-syntax': 'the file is not well-formed YAML or JSON',
  'hybridnet/load/duplicate-key': 'a mapping has the same key twice',
  'hybridnet/load/too-complex': 'nesting or alias expansion goes beyond what a topology needs (a YAML bomb)',
  'hybridnet/load/encoding': 'the file is not UTF-8 text (or UTF-16 with a byte-order mark), or is not a regular file',
  'hybridnet/load/yaml-version': 'a %YAML directive other than 1.2: YAML 1.1 reads 0177744 as octal, 1:30 as sexagesimal, yes as true and << as a merge',
  'hybridnet/model/unknown-key': 'a key the schema does not define (typo, or a field at the wrong level)',
  'hybridnet/model/missing-field': 'a required field is absent',
  'hybridnet/model/wrong-type': 'a value of the wrong type (a string where a list is expected, ...)',
  'hybridnet/model/invalid-value': 'a value outside the allowed set or form',
  'hybridnet/model/out-of-range': 'a number outside its allowed range',
  'hybridnet/model/too-few-items': 'a list with fewer entries than required',
  'hybridnet/model/too-many-items': 'a list with more entries than allowed',
  'hybridnet/model/invalid-name': 'a name with characters or a length the model does not accept',
  'hybridnet/model/invalid-cidr': 'a prefix that is not strict CIDR (bad octet, bad length, leading zeros, no length)',
  'hybridnet/model/cidr-host-bits': 'a prefix with host bits set (10.0.0.5/24)',
  'hybridnet/model/invalid-ip': 'an address that is not a valid IP address',
  'hybridnet/model/invalid-asn': 'an ASN that is not a whole number from 1 to 4294967294',
  'hybridnet/model/invalid-region': 'a region name in the wrong form',
  'hybridnet/model/literal-secret': 'a secret written into the file instead of referenced',
  'hybridnet/model/duplicate-name': 'two objects share a name that must be unique',
  'hybridnet/model/name-collision': 'two names differ only in case or punctuation, so the identifiers derived from them (Bicep symbols, parameters, output folders, script keys) would collide',
  'hybridnet/model/unknown-reference': 'a name that refers to no object of the expected kind',
} as const;

export type ModelCode = keyof typeof MODEL_CODES;
