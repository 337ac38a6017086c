/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The custom server (server/) owns the database and the collaboration socket;
  // pages and route handlers reach them through server/services.ts at run time.
  typescript: { ignoreBuildErrors: false },
  // Security headers are sent by the custom server (server/http/security-headers.ts), which needs a
  // nonce per response. "X-Powered-By: Next.js" would only tell a scanner what to try.
  poweredByHeader: false,
};

export default nextConfig;
