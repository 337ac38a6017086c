import { z } from "zod";
import type { Action, Role } from "../../server/accounts/access";
import type { SessionUser } from "../../server/accounts/accounts";
import { type Principal, services, type Services } from "../../server/services";

const MAX_TITLE_LENGTH = 200;

const titleSchema = z
  .string({ error: "title must be a string" })
  .trim()
  .min(1, "title must not be empty")
  .max(MAX_TITLE_LENGTH, `title must be at most ${MAX_TITLE_LENGTH} characters`);
const roleSchema = z.enum(["owner", "editor", "viewer"], { error: "role must be owner, editor or viewer" });
const objectError = { error: "body must be a JSON object" };

const IMPORT_FORMATS = ["markdown", "html", "text", "json", "docx"] as const;
export const createBody = z.object(
  {
    // Optional: a document made from content may take its title from the content's first heading.
    title: titleSchema.optional(),
    content: z
      .object(
        {
          format: z.enum(IMPORT_FORMATS, { error: `content.format must be one of ${IMPORT_FORMATS.join(", ")}` }),
          data: z.unknown().refine((data) => data !== undefined && data !== null, "content.data is required"),
        },
        { error: "content must be { format, data }" },
      )
      .optional(),
  },
  objectError,
);
export const renameBody = z.object({ title: titleSchema }, objectError);
export const shareBody = z.object({ email: z.email({ error: "email must be an email address" }).trim().toLowerCase(), role: roleSchema }, objectError);
export const roleBody = z.object({ role: roleSchema }, objectError);
export const linkBody = z.object({ role: z.enum(["editor", "viewer"], { error: "a link gives editor or viewer" }) }, objectError);
export const MAX_TOKEN_DAYS = 3650;
export const tokenBody = z.object(
  {
    name: z.string({ error: "name must be a string" }).trim().min(1, "name must not be empty").max(100, "name must be at most 100 characters"),
    // Omitted: read-write, as every token was before scopes existed.
    scope: z.enum(["read", "read-write"], { error: 'scope must be "read" or "read-write"' }).default("read-write"),
    // Omitted or null: the token never expires.
    expiresInDays: z
      .number({ error: "expiresInDays must be a number of days, or null for no expiry" })
      .int("expiresInDays must be a whole number of days")
      .min(1, "expiresInDays must be at least 1")
      .max(MAX_TOKEN_DAYS, `expiresInDays must be at most ${MAX_TOKEN_DAYS}`)
      .nullable()
      .default(null),
    // Or an exact moment, for scripts that want one; in the future, within MAX_TOKEN_DAYS.
    expiresAt: z.iso
      .datetime({ offset: true, error: "expiresAt must be an ISO 8601 date and time, e.g. 2027-01-31T00:00:00Z" })
      .transform((value) => new Date(value))
      .refine((date) => date.getTime() > Date.now(), "expiresAt must be in the future")
      .refine((date) => date.getTime() <= Date.now() + MAX_TOKEN_DAYS * 86_400_000, `expiresAt must be within ${MAX_TOKEN_DAYS} days`)
      .optional(),
  },
  objectError,
).refine((body) => !(body.expiresAt && body.expiresInDays !== null), "give expiresInDays or expiresAt, not both");

export function errorResponse(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

export const notFound = () => errorResponse(404, "document not found");

/** 429 for a creation quota reached (server/accounts/quotas.ts), logged with who and what. */
export function quotaReached(s: Services, userId: string, what: string, retryAfterSeconds: number): Response {
  s.logger.warn({ userId, what }, "creation quota reached");
  return Response.json(
    { error: `You are creating ${what} faster than this server allows. Wait a minute and try again.` },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds) } },
  );
}

/** Parses a JSON body against a schema; a bad body becomes a 400 with the first problem named. */
export async function readBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ value: T } | { response: Response }> {
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return { response: errorResponse(400, "body must be valid JSON") };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { response: errorResponse(400, parsed.error.issues[0]?.message ?? "invalid body") };
  return { value: parsed.data };
}

export interface Caller {
  s: Services;
  user: SessionUser;
  /** Present when the caller sent a personal API token rather than a browser session. */
  apiToken?: Principal["apiToken"];
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const READ_ONLY_TOKEN_MESSAGE =
  "this API token is read-only: it may make GET requests only. Create a read-write token in Settings to change anything.";

export interface HandleOptions {
  /**
   * A request that is not a GET but changes nothing a read token may not see (minting a viewer's
   * collaboration token). Only onDocument sets it, for its "read" action.
   */
  readOnlyTokenMayCall?: boolean;
}

/**
 * Runs a handler for a signed-in caller (browser session or API token). No caller answers 401; an
 * unexpected failure is logged with its route and answered 500. A read-only API token is refused
 * here, by method, for every route that could change something, so no route can forget to check.
 */
export async function handle(what: string, request: Request, run: (caller: Caller) => Promise<Response>, options: HandleOptions = {}): Promise<Response> {
  let s: Services;
  try {
    s = services();
  } catch (error) {
    return errorResponse(503, (error as Error).message);
  }
  try {
    const principal = await s.principal(request.headers);
    if (!principal) return errorResponse(401, "sign in, or send a personal API token as Authorization: Bearer <token>");
    if (principal.apiToken?.scope === "read" && !SAFE_METHODS.has(request.method) && !options.readOnlyTokenMayCall) {
      return Response.json({ error: READ_ONLY_TOKEN_MESSAGE, code: "read-only-token" }, { status: 403 });
    }
    return await run({ s, user: principal.user, apiToken: principal.apiToken });
  } catch (error) {
    s.logger.error({ err: error, route: what }, "api request failed");
    return errorResponse(500, "internal error");
  }
}


type DocumentParams = { id: string };

/**
 * A route on one document: signed-in caller, then the access module's verdict for `action`, then the
 * handler. Every document route goes through here, so none can forget to ask.
 */
export function onDocument<P extends DocumentParams>(
  what: string,
  action: Action,
  run: (caller: Caller & { params: P; request: Request; role: Role }) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return (request, context) =>
    handle(
      what,
      request,
      async (caller) => {
        const params = await context.params;
        const decision = await caller.s.access.decide(caller.user.id, params.id, action);
        if (!decision.allowed) {
          return decision.status === 404 ? notFound() : errorResponse(403, `your role (${decision.role}) does not allow ${action}`);
        }
        // A read-only token acts as a viewer whatever the user's role, so a collaboration token it
        // mints is a viewer's too and the socket refuses its changes.
        const role = caller.apiToken?.scope === "read" ? "viewer" : decision.role;
        return run({ ...caller, params, request, role });
      },
      { readOnlyTokenMayCall: action === "read" },
    );
}
