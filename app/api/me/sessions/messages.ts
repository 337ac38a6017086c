export const BROWSER_ONLY = "sessions are managed from a signed-in browser (Settings), not with an API token";
