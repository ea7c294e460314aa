/**
 * One runner around every handler: it logs failures, honours cancellation and returns a neutral result,
 * so that no exception ever ends the server.
 */
import { type CancellationToken, type Connection, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

export type Handler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

export function safe<P, R>(connection: Connection, name: string, fallback: R, fn: Handler<P, R>): Handler<P, R> {
  return async (params, token) => {
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    try {
      const result = await fn(params, token);
      if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      return result;
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };
}

/** For notifications: run, log, never throw. */
export function safeNotify<P>(connection: Connection, name: string, fn: (params: P) => void | Promise<void>): (params: P) => void {
  return (params) => {
    try {
      const r = fn(params);
      if (r && typeof (r as Promise<void>).catch === 'function') {
        (r as Promise<void>).catch((e: unknown) => connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
      }
    } catch (e) {
      connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
}
