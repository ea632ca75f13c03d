/** A problem with the command's input (a file, an option): exit 2 with one plain sentence. */
export class InputError extends Error {}
