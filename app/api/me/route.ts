import { z } from "zod";
import { MAX_NAME_LENGTH, nameTooLong } from "../../../server/accounts/accounts";
import { colorProblem, normalizeColor } from "../../../server/accounts/colors";
import { handle, readBody } from "../request";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle("GET /api/me", request, async ({ user }) => Response.json(user));
}

const profileBody = z
  .object(
    {
      name: z
        .string({ error: "Your name must be text." })
        .trim()
        .min(1, "Enter your name. Others see it next to your cursor.")
        .refine((name) => !nameTooLong(name), `Your name can be at most ${MAX_NAME_LENGTH} characters.`)
        .optional(),
      // null: back to the colour the account was given.
      color: z
        .string({ error: "Choose a colour as #rrggbb, for example #2f63c8." })
        .transform(normalizeColor)
        .superRefine((color, context) => {
          const problem = colorProblem(color);
          if (problem) context.addIssue({ code: "custom", message: problem });
        })
        .nullable()
        .optional(),
    },
    { error: "body must be a JSON object" },
  )
  .refine((body) => body.name !== undefined || body.color !== undefined, "say what to change: name, color or both");

/** The caller's own name and colour; others see them on the next connect to a document. */
export function PATCH(request: Request): Promise<Response> {
  return handle("PATCH /api/me", request, async ({ s, user }) => {
    const body = await readBody(request, profileBody);
    if ("response" in body) return body.response;
    const updated = await s.accounts.updateProfile(user.id, body.value);
    s.logger.info({ userId: user.id, changed: Object.keys(body.value) }, "profile changed");
    return Response.json(updated);
  });
}
