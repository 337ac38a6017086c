import { services } from "../../../../server/services";

export const dynamic = "force-dynamic";

/** Better Auth's own endpoints: sign-up, sign-in, sign-out, session. */
function handler(request: Request): Promise<Response> {
  return services().auth.handler(request);
}

export { handler as GET, handler as POST };
