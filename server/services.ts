import type { Logger } from "pino";
import type { AccessControl } from "./accounts/access.ts";
import type { Accounts, SessionUser, TokenScope } from "./accounts/accounts.ts";
import type { Auth } from "./accounts/auth.ts";
import type { CollabTokens } from "./accounts/collab-token.ts";
import type { CreationQuotas } from "./accounts/quotas.ts";
import type { CollaborationNotices } from "./collab/collaboration-channel.ts";
import type { DocumentStore } from "./documents/store.ts";
import type { DocumentHistory } from "./history/document-history.ts";
import type { Trash } from "./documents/trash.ts";

export type Formats = Pick<typeof import("./formats/index.ts"), "exportDocument" | "importDocument">;
import type { Sharing } from "./accounts/sharing.ts";
import type { Mailer } from "./email/mailer.ts";
import type { SearchIndex } from "./search/search-index.ts";
import type { SignupPolicy } from "./accounts/signup-policy.ts";
import type { Sessions } from "./accounts/sessions.ts";

/** Who is calling the API, and with what credential. */
export interface Principal {
  user: SessionUser;
  /** Present when the caller sent a personal API token (Authorization: Bearer) instead of a session cookie. */
  apiToken?: { id: string; scope: TokenScope };
}

/**
 * What pages and route handlers need from the running server. Next bundles them separately from the
 * custom server, so they find the server's single instances here instead of opening their own
 * database (PGlite allows one per data directory).
 */
export interface Services {
  store: DocumentStore;
  access: AccessControl;
  sharing: Sharing;
  accounts: Accounts;
  auth: Auth;
  /** The signed-in user's own sessions (Settings), through Better Auth. */
  sessions: Sessions;
  collabTokens: CollabTokens;
  quotas: CreationQuotas;
  /** Sign-up open, by invitation or closed: the admin's choice, ALLOW_SIGNUP until they make one. */
  signup: SignupPolicy;
  search: SearchIndex;
  /** Moving documents to the trash and back, and deleting them for good (TRASH_DAYS). */
  trash: Trash;
  /** The collaboration socket in this process, or a channel to the instances that run it. */
  collaboration: CollaborationNotices;
  /** Versions, moments, diffs and restores. */
  history: DocumentHistory;
  /** MAX_IMPORT_BYTES: the largest file an import may send. */
  maxImportBytes: number;
  /** Export and import (Markdown, HTML, text, JSON, Word), run here rather than in Next's bundle. */
  formats: Formats;
  logger: Logger;
  mailer: Mailer;
  /** APP_URL: the address links in emails point to. Unset: the request's own origin. */
  appUrl?: string;
  /** The signed-in user of a browser session (cookies only), for pages. */
  sessionUser(headers: Headers): Promise<SessionUser | null>;
  /** Who is calling the API: a personal API token (Authorization: Bearer) or a browser session. */
  principal(headers: Headers): Promise<Principal | null>;
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
