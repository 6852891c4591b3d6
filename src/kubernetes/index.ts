export * from './object-metadata-ref';
export * from './namespace-ref';
export * from './service-account-ref';
export * from './service-ref';
export * from './workload-ref';
export * from './workload-object';
export * from './secret-ref';
