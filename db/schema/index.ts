export * from './tenants.js';
export * from './members.js';
export * from './api-tokens.js';
export * from './audit-events.js';
export * from './idempotency-records.js';
