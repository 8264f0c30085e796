// The platform's one authorization vocabulary: scopes, shared rules and policy tables.
export * from './scopes.ts';
export * from './rules.ts';
export * from './policy.ts';
