// The signed-in user performing an operation, plus where the request came from (for the audit log).
export interface Actor {
  userId: string;
  email: string;
  ip: string | null;
  userAgent: string | null;
}
