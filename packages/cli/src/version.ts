/** The command line's version (a test holds it equal to packages/cli/package.json). */
export const VERSION = '0.1.0';
