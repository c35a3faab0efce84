/**
 * The address of a coordinator's live dashboard with the admin token in the fragment: browsers
 * never send the fragment to the server, so the token stays out of request lines and logs.
 */
export function dashboardUrl(coordinatorUrl: string, adminToken: string): string {
  return `${coordinatorUrl.replace(/\/+$/, '')}/dashboard/#token=${encodeURIComponent(adminToken)}`;
}
