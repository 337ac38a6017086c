import { describe, expect, it } from "vitest";
import { safeNext } from "../../app/safeNext.ts";

/** Where a browser goes when it follows `Location: <value>` from a page of this site. */
function landsOn(location: string): string {
  return new URL(location, "http://app.example/sign-in").host;
}

describe("where sign-in sends you afterwards", () => {
  // Each of these reached http://evil.example/ before the fix (the review's three, then their cousins).
  const HOSTILE = [
    "/.//evil.example/phish",
    "/a/..//evil.example/phish",
    "/%2e//evil.example/phish",
    "/%2E%2E//evil.example/phish",
    "/./\\evil.example/phish",
    "/a/../\\evil.example",
    "/\\evil.example",
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/.%2F/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
  ];

  it.each(HOSTILE)("never leaves the site for next=%j", (next) => {
    const location = safeNext(next);
    expect(landsOn(location)).toBe("app.example");
    expect(location.startsWith("/")).toBe(true);
    expect(location.startsWith("//") || location.startsWith("/\\")).toBe(false);
  });

  it.each([
    ["/d/123", "/d/123"],
    ["/d/123?tab=history#top", "/d/123?tab=history#top"],
    ["/join/abc", "/join/abc"],
    ["/a/../d/1", "/d/1"],
  ])("keeps a path on this site: %j goes to %j", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it("takes the first of repeated parameters, and nothing for none", () => {
    expect(safeNext(["/d/1", "//evil.example"])).toBe("/d/1");
    expect(safeNext(undefined)).toBe("/");
  });
});
