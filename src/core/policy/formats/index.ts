/**
 * Format detection and the seven readers: S3 console JSON, `aws s3api` JSON, S3 XML, CloudFormation (JSON or YAML),
 * Terraform, and the providers' own forms, Google Cloud Storage JSON and Backblaze B2 corsRules. Each turns a
 * document into rules with positions (ParsedPolicy minus format/file).
 */
export type { PolicyBody, ReadOptions } from './shared.js';
export { detectPolicyFormat } from './detect.js';
export { readConsoleJson } from './console-json.js';
export { readCliJson } from './cli-json.js';
export { readXml } from './xml.js';
export { readCloudFormation } from './cloudformation.js';
export { readTerraform } from './terraform.js';
export { readGcsJson } from './gcs-json.js';
export { readB2Json } from './b2-json.js';
