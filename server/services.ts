import type { Logger } from "pino";
import type { DocumentStore } from "./documents.ts";

/**
 * What route handlers need from the running server. Next bundles route handlers separately from the
 * custom server, so they find the server's single instances here instead of opening their own
 * database (PGlite allows one per data directory).
 */
export interface Services {
  store: DocumentStore;
  logger: Logger;
  /** Tells every open editor of the document its new title. */
  announceRename(documentId: string, title: string): void;
  /** Closes every connection to a deleted document. */
  closeDocument(documentId: string): void;
}

const KEY = Symbol.for("inkwell.services");
type Registry = { [KEY]?: Services };

export function registerServices(services: Services | undefined): void {
  (globalThis as Registry)[KEY] = services;
}

export function services(): Services {
  const registered = (globalThis as Registry)[KEY];
  if (!registered) {
    throw new Error("Inkwell's server is not running in this process: start the app with `npm run dev` or `npm start`, not `next dev`.");
  }
  return registered;
}
