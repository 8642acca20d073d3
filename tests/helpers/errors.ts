// What a parser says when it refuses its input: run it, expect an error of the given class, return its message.

/** The message of the error `fn` throws, asserting it is an instance of `kind`; fails when `fn` throws nothing. */
export function errorMessage(fn: () => unknown, kind: abstract new (...args: never[]) => Error): string {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof kind)) throw new Error(`expected a ${kind.name}, got ${String(error)}`);
    return error.message;
  }
  throw new Error(`expected a ${kind.name}`);
}
