/**
 * One client's side of client-side caching (Redis's CLIENT_TRACKING* flags,
 * client_tracking_redirection and client_tracking_prefixes): plain data that CLIENT TRACKING
 * sets, tracking.ts reads, and CLIENT LIST / TRACKINGINFO show. It lives on the Client so that
 * a client carries its mode wherever it goes; the node-wide tables are in tracking.ts.
 */
export class ClientTracking {
  /** CLIENT_TRACKING: CLIENT TRACKING ON is in force. */
  on = false;
  /** CLIENT_TRACKING_BCAST: invalidations by prefix, not by key read. */
  bcast = false;
  /** CLIENT_TRACKING_OPTIN: only the reads after CLIENT CACHING YES are remembered. */
  optin = false;
  /** CLIENT_TRACKING_OPTOUT: the reads after CLIENT CACHING NO are not remembered. */
  optout = false;
  /** CLIENT_TRACKING_NOLOOP: no invalidation for what this client changed itself. */
  noloop = false;
  /** CLIENT_TRACKING_CACHING: CLIENT CACHING was given for the next command (or transaction). */
  caching = false;
  /** CLIENT_TRACKING_BROKEN_REDIR: the redirect client went away (CLIENT LIST's R). */
  brokenRedirect = false;
  /** The client id invalidations go to, 0 for this connection itself. */
  redirect = 0;
  /** BCAST prefixes in byte order (Redis keeps them in a radix tree). */
  prefixes: string[] = [];

  /** disableTracking: every flag off; the redirect id stays but is shown as -1 when off. */
  reset(): void {
    this.on = false;
    this.bcast = false;
    this.optin = false;
    this.optout = false;
    this.noloop = false;
    this.brokenRedirect = false;
    this.prefixes = [];
  }
}
