import path from "node:path";
import { z } from "zod";

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// or postgresql:// URL");

function emptyIsUnset(value: unknown): unknown {
  return value === "" ? undefined : value;
}

const SERVICE_NAMES = ["web", "collaboration"] as const;

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  // Empty means "not set": the embedded database in DATA_DIR is used instead.
  DATABASE_URL: z.preprocess(emptyIsUnset, postgresUrl.optional()),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // The address people open. Unset: any loopback address on any port is the app's own origin.
  APP_URL: z.preprocess(emptyIsUnset, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  // Further origins (comma-separated), for embedding apps: they may open the collaboration socket and
  // make state-changing requests with a session cookie, like the app's own pages.
  ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: "each origin must be an http(s) URL" }).transform((url) => new URL(url).origin))),
  // A WebSocket frame larger than this closes that socket with 1009; the server serves everyone else.
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024, "must be at least 1024").default(2 * 1024 * 1024),
  MAX_CLIENTS_PER_DOCUMENT: z.coerce.number().int().min(1).default(250),
  // One person's connections to one document (tabs, windows, devices), and sessions one socket holds.
  MAX_CONNECTIONS_PER_USER_PER_DOCUMENT: z.coerce.number().int().min(1).default(20),
  MAX_SESSIONS_PER_SOCKET: z.coerce.number().int().min(1).default(50),
  // New collaboration connections per client address per minute (a burst of that many passes).
  MAX_CONNECTIONS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // How many proxies of yours stand in front of Inkwell; 0 ignores X-Forwarded-For entirely.
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  // Presence (cursor) state: its size as JSON, and updates per second per connection (burst of twice).
  MAX_AWARENESS_BYTES: z.coerce.number().int().min(256).default(4096),
  MAX_AWARENESS_UPDATES_PER_SECOND: z.coerce.number().int().min(1).default(20),
  // Each collaboration socket is pinged this often and dropped after two silent intervals, so a
  // vanished peer is let go within 2.25 (22.5 s by default). Editors expect a ping at least every 10 s.
  HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(10, "must be at most 10 (editors give up after 20 s of silence)").default(10),
  ALLOW_SIGNUP: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("true")
    .transform((value) => value === "true"),
  // Where invitation links and account notices are emailed. Unset: owners copy invitation links themselves.
  SMTP_URL: z.preprocess(emptyIsUnset, z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional()),
  MAIL_FROM: z.string().trim().min(1).default("Inkwell <no-reply@localhost>"),
  // Signs sessions and collaboration tokens. Unset: generated once and kept in the database.
  AUTH_SECRET: z.preprocess(emptyIsUnset, z.string().min(32, "must be at least 32 characters").optional()),
  // Documents one account may create per minute (429 beyond): people make a few an hour.
  MAX_DOCUMENTS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  // false: compaction deletes the updates it folds and keeps no history (no versions, diffs or
  // restores), for deployments that must not keep edit history, and to measure what history costs.
  KEEP_HISTORY: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("true")
    .transform((value) => value === "true"),
  // Automatic versions: after this many seconds without a change, and at least this often while
  // someone keeps typing (a version is also taken when the last writer leaves).
  AUTO_VERSION_QUIET_SECONDS: z.coerce.number().int().min(1).default(180),
  AUTO_VERSION_EVERY_SECONDS: z.coerce.number().int().min(1).default(600),
  // Automatic history older than this many days is thinned to one moment per day (named versions
  // are kept whole). Unset: everything is kept.
  HISTORY_RETENTION_DAYS: z.preprocess(emptyIsUnset, z.coerce.number().int().min(1).optional()),
  // A document moved to the trash can be restored by an owner for this many days, then it is purged
  // with its history.
  TRASH_DAYS: z.coerce.number().int("must be a whole number of days").min(1, "must be at least 1").default(30),
  // Largest file an import may send (bytes).
  MAX_IMPORT_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  // Lets a scraper on another machine read /metrics (Authorization: Bearer <token>). Unset: only
  // loopback addresses may read it.
  METRICS_TOKEN: z.preprocess(emptyIsUnset, z.string().min(16, "must be at least 16 characters").optional()),
  // What this process serves: the web app (pages, API) and/or the collaboration socket. Run them as
  // separate processes to scale sockets apart from pages; they meet in the database.
  SERVICES: z
    .string()
    .default("web,collaboration")
    .transform((value) => [...new Set(value.split(",").map((service) => service.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(SERVICE_NAMES, { error: `each must be one of ${SERVICE_NAMES.join(", ")}` })).min(1, "must name at least one service")),
}).superRefine((env, context) => {
  if (env.SERVICES.length < SERVICE_NAMES.length && !env.DATABASE_URL) {
    context.addIssue({
      code: "custom",
      path: ["SERVICES"],
      message: "running the web app and the collaboration socket in separate processes needs DATABASE_URL (the embedded database belongs to one process)",
    });
  }
});

export type ServiceName = (typeof SERVICE_NAMES)[number];

export type Env = z.infer<typeof envSchema> & { dataDir: string };

export class EnvError extends Error {}

const SECRETS = new Set(["AUTH_SECRET", "DATABASE_URL", "METRICS_TOKEN", "SMTP_URL"]);

/** Parses the environment once at start-up; a bad value is reported by name and stops the process. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => {
        const name = String(issue.path[0] ?? "");
        const got = SECRETS.has(name) ? "a value that is not shown" : JSON.stringify(source[name]);
        return `  ${issue.path.join(".") || "(env)"}: ${issue.message} (got ${got})`;
      })
      .join("\n");
    throw new EnvError(`Invalid configuration:\n${problems}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) };
}
