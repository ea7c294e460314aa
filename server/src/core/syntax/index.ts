export * from './ast';
export { parse } from './parser';
