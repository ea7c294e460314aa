export * from './model';
export * from './expand';
export * from './image-ref';
export * from './builtins';
