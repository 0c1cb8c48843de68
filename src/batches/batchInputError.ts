/** The batch's input cannot be read: HTTP error, timeout, too large, not CSV, or no header row. */
export class BatchInputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BatchInputError';
  }
}
