/** An error whose message is written for the person who typed the command. */
export class UserError extends Error {
  /** `cause`: the underlying error, for callers that add advice of their own (the CLI). */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
