/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The custom server (server/) owns the database and the collaboration socket;
  // pages and route handlers reach them through server/services.ts at run time.
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
