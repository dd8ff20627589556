export * from './collections';
export * from './types';
export * from './client';
