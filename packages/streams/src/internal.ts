/**
 * Everything the package's own tests reach besides the public surface: internals that a
 * service must not depend on. Not in package.json `exports`, so nothing outside this package
 * can import it; the public surface is ./index.ts.
 */
export * from './index';
export { taskIdToString } from './types/index';
export * from './topology/index';
export * from './state/index';
export * from './state-manager/index';
export * from './runtime/index';
export * from './client/index';
