// Who is calling: the client IP and user agent, for audit rows and rate limits.
// server.ts writes the trusted client address into CLIENT_IP_HEADER (overwriting anything the
// client sent), so code here never trusts a spoofable X-Forwarded-For directly.
export const CLIENT_IP_HEADER = "x-inferencekey-client-ip";

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

type HeaderSource = { get(name: string): string | null };

export function clientInfoFrom(headers: HeaderSource): ClientInfo {
  const ua = headers.get("user-agent");
  return { ip: headers.get(CLIENT_IP_HEADER), userAgent: ua ? ua.slice(0, 512) : null };
}
