export * from './mesh-model';
export * from './request-source';
export * from './simulated-request';
export * from './verdict';
export * from './reachability';
export * from './request-expectation';
