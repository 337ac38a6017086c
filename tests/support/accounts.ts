import { randomUUID } from "node:crypto";
import type { DocumentInfo } from "./server.ts";

/** A signed-up user holding a real Better Auth session cookie, calling the API as the browser would. */
export interface TestUser {
  id: string;
  email: string;
  name: string;
  cookie: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  createDocument(title?: string): Promise<DocumentInfo & { role: string }>;
  /** A fresh collaboration token for the document; throws "document-not-found" on 404. */
  collabToken(documentId: string): Promise<string>;
  /** A personal API token of this user. */
  apiToken(name?: string): Promise<string>;
}

export const PASSWORD = "correct horse battery";

/** Each simulated person signs up from an address of their own, as real people do (sign-up is rate limited per address). */
function someAddress(): string {
  const bytes = randomUUID().replace(/-/g, "");
  return `10.${parseInt(bytes.slice(0, 2), 16)}.${parseInt(bytes.slice(2, 4), 16)}.${parseInt(bytes.slice(4, 6), 16)}`;
}

export async function signUp(baseUrl: string, name: string, email = `${name.toLowerCase().replace(/\W+/g, "-")}-${randomUUID().slice(0, 8)}@example.com`, extra: Record<string, string> = {}): Promise<TestUser> {
  const address = someAddress();
  const response = await postSignUp(baseUrl, { email, password: PASSWORD, name, ...extra }, address);
  if (response.status !== 200) throw new Error(`sign-up of ${email} failed: ${response.status} ${await response.text()}`);
  // Sign-up gives no session (it answers the same for an email that already has an account); as the sign-up page does, sign in next.
  const signedIn = await signInAs(baseUrl, email, PASSWORD, address);
  if (signedIn.status !== 200) throw new Error(`sign-in of ${email} after sign-up failed: ${signedIn.status} ${await signedIn.text()}`);
  const { user } = (await signedIn.json()) as { user: { id: string } };
  return asUser(baseUrl, { id: user.id, email, name, cookie: cookieOf(signedIn) });
}

/** POST /api/auth/sign-up/email as the sign-up page sends it. */
export function postSignUp(baseUrl: string, body: Record<string, unknown>, address = someAddress()): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, "x-forwarded-for": address },
    body: JSON.stringify(body),
  });
}

export function signInAs(baseUrl: string, email: string, password: string, address = someAddress()): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, "x-forwarded-for": address },
    body: JSON.stringify({ email, password }),
  });
}

export const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");

export function asUser(baseUrl: string, who: { id: string; email: string; name: string; cookie: string }): TestUser {
  const request = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { "content-type": "application/json", origin: baseUrl, cookie: who.cookie, ...(init.headers as Record<string, string>) },
    });
  const expectOk = async (response: Response, what: string) => {
    if (!response.ok) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    ...who,
    request,
    createDocument: async (title = "Test document") =>
      expectOk(await request("/api/documents", { method: "POST", body: JSON.stringify({ title }) }), "create document"),
    collabToken: async (documentId) => {
      const response = await request(`/api/documents/${documentId}/collab-token`, { method: "POST" });
      // As the editor does: no access any more reads as the document being gone.
      if (response.status === 404) throw new Error("document-not-found");
      return (await expectOk(response, "collab token")).token;
    },
    apiToken: async (name = "test") => (await expectOk(await request("/api/tokens", { method: "POST", body: JSON.stringify({ name }) }), "api token")).token,
  };
}

/** Shares a document with another user by email, as its owner. */
export async function share(owner: TestUser, documentId: string, email: string, role: "owner" | "editor" | "viewer"): Promise<void> {
  const response = await owner.request(`/api/documents/${documentId}/members`, { method: "POST", body: JSON.stringify({ email, role }) });
  if (response.status !== 201) throw new Error(`share failed: ${response.status} ${await response.text()}`);
}
