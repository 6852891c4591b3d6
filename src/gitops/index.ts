export * from './runtime-change';
export * from './argo-cd/argo-cd-application';
export * from './argo-cd/argo-cd-source';
