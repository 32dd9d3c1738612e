/** What makes a whole file unusable (not CSV, a wrong header, empty): the import fails and nothing is applied. */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
