import { z } from "zod";
import { SIGNUP_MODES } from "../../../../server/accounts/signup-policy";
import { readBody } from "../../request";
import { onAdmin } from "../admin";

export const dynamic = "force-dynamic";

const settingsBody = z.object(
  { signup: z.enum(SIGNUP_MODES, { error: `signup must be one of ${SIGNUP_MODES.join(", ")}` }) },
  { error: "body must be a JSON object" },
);

export const GET = onAdmin("GET /api/admin/settings", async ({ s }) =>
  Response.json({ signup: await s.signup.mode(), emailConfigured: s.mailer.configured }, { headers: { "cache-control": "no-store" } }),
);

export const PATCH = onAdmin("PATCH /api/admin/settings", async ({ s, user, request }) => {
  const body = await readBody(request, settingsBody);
  if ("response" in body) return body.response;
  await s.signup.setMode(body.value.signup);
  s.logger.info({ adminId: user.id, signup: body.value.signup }, "sign-up mode changed");
  return Response.json({ signup: await s.signup.mode(), emailConfigured: s.mailer.configured });
});
