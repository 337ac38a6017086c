import { z } from "zod";
import { services } from "../../../server/services";

const MAX_TITLE_LENGTH = 200;

const titleSchema = z
  .string({ error: "title must be a string" })
  .trim()
  .min(1, "title must not be empty")
  .max(MAX_TITLE_LENGTH, `title must be at most ${MAX_TITLE_LENGTH} characters`);

export const createBody = z.object({ title: titleSchema.default("Untitled document") }, { error: "body must be a JSON object" });
export const renameBody = z.object({ title: titleSchema }, { error: "body must be a JSON object" });

export function errorResponse(status: number, error: string): Response {
  return Response.json({ error }, { status });
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

/** Runs a handler with the server's services; an unexpected failure is logged and answered 500. */
export async function handle(what: string, run: (s: ReturnType<typeof services>) => Promise<Response>): Promise<Response> {
  let s: ReturnType<typeof services>;
  try {
    s = services();
  } catch (error) {
    return errorResponse(503, (error as Error).message);
  }
  try {
    return await run(s);
  } catch (error) {
    s.logger.error({ err: error, route: what }, "api request failed");
    return errorResponse(500, "internal error");
  }
}
