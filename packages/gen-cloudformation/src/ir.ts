/** A CloudFormation template as plain data: built once by the transform, serialised by print. */
export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

export interface CfnResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
  readonly Properties: { [key: string]: CfnValue };
}

export interface CfnParameter {
  readonly Type: string;
  readonly Description: string;
  readonly Default?: string;
  readonly AllowedPattern?: string;
  readonly NoEcho?: boolean;
}

export interface CfnTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Metadata: { [key: string]: CfnValue };
  readonly Parameters: { [name: string]: CfnParameter };
  readonly Conditions: { [name: string]: CfnValue };
  readonly Resources: { [logicalId: string]: CfnResource };
  readonly Outputs: { [name: string]: { Description: string; Value: CfnValue; Condition?: string } };
}
