/** A request about history that cannot be answered as asked: status and a sentence for the person. */
export class HistoryError extends Error {
  /** Route handlers live in Next's bundle, with their own copy of this class: they test this instead. */
  readonly answersWith = "history-error";
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export function isHistoryError(error: unknown): error is HistoryError {
  return (error as HistoryError | null)?.answersWith === "history-error";
}
