import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "../db/database.ts";
import { EnvError, parseEnv } from "../env.ts";
import { createLogger } from "../logger.ts";
import { wireServices } from "../wiring.ts";
import { NAME_TOO_LONG_MESSAGE, nameTooLong, TOKEN_SCOPES, type TokenScope } from "./accounts.ts";

const USAGE = `Usage:
  npm run admin -- create-user --email E --password P [--name N] [--admin]
  npm run admin -- create-token --email E --name N [--scope read|read-write] [--expires-in-days D]
  npm run admin -- rotate-secret

Uses the same DATABASE_URL / DATA_DIR as the server. With the embedded database, stop the server
first: only one process can open DATA_DIR.`;

class UsageError extends Error {}

const COMMANDS = ["create-user", "create-token", "rotate-secret"];
const DAY_MS = 24 * 60 * 60 * 1000;

const email = z.email({ error: "--email must be an email address" }).trim().toLowerCase();

async function main(argv: string[]): Promise<string> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      admin: { type: "boolean", default: false },
      scope: { type: "string", default: "read-write" },
      "expires-in-days": { type: "string" },
    },
    strict: true,
  });
  if (!command || !COMMANDS.includes(command)) throw new UsageError(command ? `Unknown command ${command}.` : "No command given.");

  const env = parseEnv();
  if (command === "rotate-secret" && env.AUTH_SECRET) {
    throw new UsageError(
      "AUTH_SECRET is set in the environment, so the database's generated secret is not in use. To rotate, set a new AUTH_SECRET for every server and restart them.",
    );
  }
  const logger = createLogger(env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL);
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.dataDir });
  try {
    // Only the accounts side: the CLI never serves a socket, whatever SERVICES says.
    const { services } = await wireServices(database, { ...env, SERVICES: ["web"] }, logger);
    if (!services) throw new Error("the web services were not wired");
    if (command === "rotate-secret") {
      const { sessionsDeleted } = await services.accounts.rotateInstanceSecret();
      return [
        `Rotated the generated AUTH_SECRET and deleted ${sessionsDeleted} session(s): everyone signs in again.`,
        "RESTART EVERY RUNNING SERVER NOW: until a server restarts it keeps signing and accepting collaboration tokens with the old secret.",
      ].join("\n");
    }
    const address = email.parse(values.email ?? "");
    if (command === "create-user") {
      if (values.name !== undefined && nameTooLong(values.name.trim())) throw new UsageError(`--${NAME_TOO_LONG_MESSAGE}.`);
      const password = values.password ?? "";
      if (password.length < 8) throw new UsageError("--password must be at least 8 characters.");
      if (await services.accounts.findByEmail(address)) throw new UsageError(`An account for ${address} already exists.`);
      // Better Auth's own adapter and hashing, so the account signs in exactly like one made in the browser.
      const context = await services.auth.$context;
      const user = await context.internalAdapter.createUser(
        { email: address, name: values.name?.trim() || address.split("@")[0], emailVerified: false },
        { method: "email-password" },
      );
      await context.internalAdapter.linkAccount({
        userId: user.id,
        providerId: "credential",
        accountId: user.id,
        password: await context.password.hash(password),
      });
      if (values.admin) await services.accounts.setAdmin(user.id);
      const created = await services.accounts.findByEmail(address);
      return `Created ${created!.isAdmin ? "admin " : ""}account ${address} (id ${user.id}).`;
    }
    if (!values.name?.trim()) throw new UsageError("--name is required: it tells you later what the token is for.");
    const user = await services.accounts.findByEmail(address);
    if (!user) throw new UsageError(`No account for ${address}.`);
    if (!TOKEN_SCOPES.includes(values.scope as TokenScope)) throw new UsageError('--scope must be "read" or "read-write".');
    const days = values["expires-in-days"] === undefined ? null : Number(values["expires-in-days"]);
    if (days !== null && (!Number.isInteger(days) || days < 1)) throw new UsageError("--expires-in-days must be a whole number of days, at least 1.");
    const { token } = await services.accounts.createApiToken(user.id, values.name.trim(), {
      scope: values.scope as TokenScope,
      expiresAt: days === null ? null : new Date(Date.now() + days * DAY_MS),
    });
    return `${token}\n\nThis is the only time the token is shown. Use it as: Authorization: Bearer <token>`;
  } finally {
    await database.close();
  }
}

try {
  console.log(await main(process.argv.slice(2)));
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError || error instanceof z.ZodError || (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    console.error(`${error instanceof z.ZodError ? error.issues[0].message : (error as Error).message}\n\n${USAGE}`);
  } else if (error instanceof EnvError) {
    console.error(error.message);
  } else {
    console.error("admin command failed:", error);
  }
  process.exit(1);
}
