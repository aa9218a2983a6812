/** The gateway cannot sign subgraph calls; nothing is sent unsigned. */
export class CallSigningError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = this.constructor.name;
  }
}
