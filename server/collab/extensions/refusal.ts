/**
 * What a hook throws to refuse something. Hocuspocus sends `reason` to the client (as the
 * permission-denied reason of a refused document) and closes with `code` when one is given.
 */
export class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly code?: number,
  ) {
    super(reason);
  }
}
