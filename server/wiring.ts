import type { Logger } from "pino";
import { AccessControl } from "./accounts/access.ts";
import { Accounts, toSessionUser } from "./accounts/accounts.ts";
import { CollabTokens } from "./accounts/collab-token.ts";
import { CreationQuotas } from "./accounts/quotas.ts";
import { SignupPolicy } from "./accounts/signup-policy.ts";
import { Sessions } from "./accounts/sessions.ts";
import { type Collaboration, createCollaboration } from "./collab/collaboration.ts";
import { notifyCollaboration } from "./collab/collaboration-channel.ts";
import type { Database } from "./db/database.ts";
import { HistoryStore } from "./documents/history-store.ts";
import { DocumentStore } from "./documents/store.ts";
import { Trash } from "./documents/trash.ts";
import { DocumentHistory } from "./history/document-history.ts";
import { Versions } from "./history/versions.ts";
import type { Env } from "./env.ts";
import { Metrics } from "./metrics.ts";
import type { Services } from "./services.ts";
import { Sharing } from "./accounts/sharing.ts";
import { createMailer } from "./email/mailer.ts";
import { SearchIndex } from "./search/search-index.ts";

export interface Wired {
  metrics: Metrics;
  /** Present when this process serves the web app (SERVICES has web). */
  services?: Services;
  /** Present when this process serves the collaboration socket (SERVICES has collaboration). */
  collaboration?: Collaboration;
}

/** Builds every long-lived piece of the services this process runs, once, on one database. */
export async function wireServices(database: Database, env: Env, logger: Logger): Promise<Wired> {
  const { prisma } = database;
  const store = new DocumentStore(prisma, { keepHistory: env.KEEP_HISTORY });
  const history = new HistoryStore(prisma);
  const access = new AccessControl(prisma);
  const accounts = new Accounts(prisma);
  const secret = await accounts.instanceSecret(env.AUTH_SECRET);
  const collabTokens = new CollabTokens(secret);
  const metrics = new Metrics();
  const collaboration = env.SERVICES.includes("collaboration")
    ? createCollaboration({
        store,
        access,
        tokens: collabTokens,
        accounts,
        metrics,
        logger,
        admission: {
          maxClientsPerDocument: env.MAX_CLIENTS_PER_DOCUMENT,
          maxConnectionsPerUserPerDocument: env.MAX_CONNECTIONS_PER_USER_PER_DOCUMENT,
          maxSessionsPerSocket: env.MAX_SESSIONS_PER_SOCKET,
        },
        presence: { maxStateBytes: env.MAX_AWARENESS_BYTES, updatesPerSecond: env.MAX_AWARENESS_UPDATES_PER_SECOND },
        history,
        autoVersions: { quietSeconds: env.AUTO_VERSION_QUIET_SECONDS, everySeconds: env.AUTO_VERSION_EVERY_SECONDS },
      })
    : undefined;
  if (!env.SERVICES.includes("web")) return { metrics, collaboration };

  // Loaded only here: a collaboration-only process has no use for the accounts library's memory.
  const { createAuth } = await import("./accounts/auth.ts");
  const { exportDocument, importDocument } = await import("./formats/index.ts");
  const sharing = new Sharing(prisma);
  const signup = new SignupPolicy(prisma, env.ALLOW_SIGNUP);
  const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, logger });
  const auth = createAuth({
    prisma,
    accounts,
    sharing,
    logger,
    secret,
    appUrl: env.APP_URL,
    allowedOrigins: env.ALLOWED_ORIGINS,
    signup,
    mailer,
  });
  const sessionUser = async (headers: Headers) => {
    const session = await auth.api.getSession({ headers });
    // Disabling deletes the account's sessions; this also covers one created in that instant.
    if (!session || session.user.disabledAt) return null;
    return toSessionUser(session.user);
  };

  const live = collaboration ?? notifyCollaboration(prisma, store, logger);
  const versions = new Versions(store, history, (documentId) => live.compactNow(documentId), logger);
  const services: Services = {
    store,
    access,
    sharing,
    accounts,
    auth,
    sessions: new Sessions(auth),
    collabTokens,
    quotas: new CreationQuotas(store, accounts, env.MAX_DOCUMENTS_PER_MINUTE),
    signup,
    search: new SearchIndex(prisma),
    trash: new Trash(prisma, env.TRASH_DAYS),
    collaboration: live,
    history: new DocumentHistory(store, history, versions, accounts, live, logger),
    maxImportBytes: env.MAX_IMPORT_BYTES,
    formats: { exportDocument, importDocument },
    logger,
    mailer,
    appUrl: env.APP_URL,
    sessionUser,
    async principal(headers) {
      const authorization = headers.get("authorization");
      // A bad bearer token is a failed login, never a fall-back to whatever cookie came along.
      if (authorization?.toLowerCase().startsWith("bearer ")) {
        const holder = await accounts.holderOfApiToken(authorization.slice(7).trim());
        return holder && { user: holder.user, apiToken: { id: holder.tokenId, scope: holder.scope } };
      }
      const user = await sessionUser(headers);
      return user && { user };
    },
  };
  return { services, collaboration, metrics };
}
