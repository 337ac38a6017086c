/**
 * Where to go after signing in. Only paths on this site: `next` comes from the address bar, and
 * following it elsewhere would make the sign-in page an open redirect.
 */
export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next
  if (!value || !value.startsWith('/')) return '/'
  // Parsed as a browser would ("/\evil.example" and "//evil.example" leave the site).
  const base = 'http://inkwell.invalid'
  try {
    const url = new URL(value, base)
    if (url.origin !== base) return '/'
    // The path is what goes into Location, normalised: "/.//evil.example", "/a/..//evil.example" and
    // "/%2e//evil.example" all normalise to "//evil.example", which a browser reads as another host.
    const path = `${url.pathname}${url.search}${url.hash}`
    return path.startsWith('//') || path.startsWith('/\\') ? '/' : path
  } catch {
    return '/'
  }
}
