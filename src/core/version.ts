/** Kept in step with package.json by a test (test/package.test.ts). */
export const VERSION = '0.1.0';
