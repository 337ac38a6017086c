import type { Auth } from "./auth.ts";

/** One of a user's signed-in browsers, as Settings lists it. Never the session's token. */
export interface SessionInfo {
  id: string;
  /** "Firefox on Windows", from the user agent; "Unknown device" without one. */
  device: string;
  userAgent: string | null;
  address: string | null;
  createdAt: string;
  /** When the session was last refreshed (Better Auth updates it as the session is used). */
  lastActiveAt: string;
  current: boolean;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/curl\//, "curl"],
  [/node|undici/i, "a script"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, "iPhone"],
  [/iPad/, "iPad"],
  [/Android/, "Android"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown device";
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? "Unknown device";
}

/**
 * The signed-in user's sessions and signing them out, through Better Auth. Listing goes through its
 * adapter rather than /list-sessions, which refuses sessions older than a day ("not fresh"), and
 * Settings must list them whatever their age.
 */
export class Sessions {
  constructor(private readonly auth: Auth) {}

  /** Null without a valid browser session in these headers. */
  async list(headers: Headers): Promise<SessionInfo[] | null> {
    const current = await this.auth.api.getSession({ headers });
    if (!current) return null;
    const context = await this.auth.$context;
    const sessions = await context.internalAdapter.listSessions(current.user.id);
    const now = Date.now();
    return sessions
      .filter((session) => new Date(session.expiresAt).getTime() > now)
      .sort((a, b) => new Date(b.updatedAt).getTime() - new Date(a.updatedAt).getTime())
      .map((session) => ({
        id: session.id,
        device: describeDevice(session.userAgent),
        userAgent: session.userAgent ?? null,
        address: session.ipAddress ?? null,
        createdAt: new Date(session.createdAt).toISOString(),
        lastActiveAt: new Date(session.updatedAt).toISOString(),
        current: session.id === current.session.id,
      }));
  }

  /** Signs out one session of the caller's own; false if they have none with that id. */
  async revoke(headers: Headers, sessionId: string): Promise<boolean | null> {
    const current = await this.auth.api.getSession({ headers });
    if (!current) return null;
    const context = await this.auth.$context;
    const target = (await context.internalAdapter.listSessions(current.user.id)).find((session) => session.id === sessionId);
    if (!target) return false;
    await this.auth.api.revokeSession({ headers, body: { token: target.token } });
    return true;
  }

  /** Every session of the caller but this one. */
  async revokeOthers(headers: Headers): Promise<boolean> {
    if (!(await this.auth.api.getSession({ headers }))) return false;
    await this.auth.api.revokeOtherSessions({ headers });
    return true;
  }
}
