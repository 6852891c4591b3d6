export * from './crd-catalog';
export * from './manifest-validator';
export * from './conformance-check';
