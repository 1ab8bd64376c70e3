/**
 * Pure Block Kit builders: progress, final and failed parent messages, section replies, `/perf`, notices.
 */
export * from './admin.js';
export * from './final.js';
export * from './follow-up.js';
export * from './format.js';
export * from './help.js';
export * from './notices.js';
export * from './perf.js';
export * from './plain-text.js';
export * from './progress.js';
export * from './section.js';
export * from './table.js';
