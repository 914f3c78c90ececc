// Sends queued webhook deliveries: JSON POST, HMAC-signed, retried with exponential backoff
// (30 s, 1 min, 2 min, … capped at 1 h) up to 8 attempts, then marked failed. Each delivery is
// claimed before sending, so two processes never send the same one.
import { open } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db";
import { signWebhook } from "./webhook-signature";

export const MAX_ATTEMPTS = 8;
const CLAIM_MS = 60_000;

export const backoffMs = (attempts: number, baseMs = 30_000) => Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));

export async function deliverDueWebhooks(db: PrismaClient, opts: { now?: Date; baseBackoffMs?: number; timeoutMs?: number } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const due = await db.webhookDelivery.findMany({
    where: { state: "pending", nextAttemptAt: { lte: now } }, take: 20, orderBy: { nextAttemptAt: "asc" },
    include: { webhook: true },
  });
  let sent = 0;
  for (const d of due) {
    // Claim: only the process whose update matched sends.
    const claimed = await db.webhookDelivery.updateMany({ where: { id: d.id, state: "pending", nextAttemptAt: d.nextAttemptAt }, data: { nextAttemptAt: new Date(now.getTime() + CLAIM_MS) } });
    if (claimed.count === 0) continue;
    const body = JSON.stringify({ id: d.id, created_at: d.createdAt.toISOString(), ...(d.payload as object) });
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.webhook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json", "user-agent": "InferenceKey-Webhooks/1",
          "inferencekey-event": d.event, "inferencekey-delivery": d.id,
          "inferencekey-signature": signWebhook(open(d.webhook.secretCiphertext), body),
        },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      error = (err as Error).name === "TimeoutError" ? "timed out" : "connection failed";
    }
    const attempts = d.attempts + 1;
    const ok = status !== null && status >= 200 && status < 300;
    await db.webhookDelivery.update({
      where: { id: d.id },
      data: ok
        ? { state: "succeeded", attempts, lastStatus: status, lastError: null, deliveredAt: new Date() }
        : {
            state: attempts >= MAX_ATTEMPTS ? "failed" : "pending", attempts, lastStatus: status, lastError: error ?? `HTTP ${status}`,
            nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, opts.baseBackoffMs)),
          },
    });
    if (ok) sent++;
  }
  return sent;
}
