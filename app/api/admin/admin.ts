import { isAccountError } from "../../../server/accounts/accounts";
import { type Caller, errorResponse, handle } from "../request";

export const NOT_AN_ADMIN = "only an admin of this Inkwell server may do this";

/**
 * A route of the admin screen: a signed-in caller (401 otherwise) who is an instance admin (403
 * otherwise, before anything is read or changed, whatever ids the request names). An account error
 * from the service becomes its own status and sentence.
 */
export function onAdmin<P>(
  what: string,
  run: (caller: Caller & { request: Request; params: P }) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return (request, context) =>
    handle(what, request, async (caller) => {
      if (!caller.user.isAdmin) {
        caller.s.logger.warn({ userId: caller.user.id, route: what }, "admin route refused: not an admin");
        return errorResponse(403, NOT_AN_ADMIN);
      }
      try {
        return await run({ ...caller, request, params: await context.params });
      } catch (error) {
        if (isAccountError(error)) return errorResponse(error.status, error.message);
        throw error;
      }
    });
}
