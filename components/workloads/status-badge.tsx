import { Badge } from "@/components/ui/card";

const TONES = {
  pending: "slate", provisioning: "amber", running: "green", failed: "red", stopped: "slate", deleting: "amber",
} as const;

export function StatusBadge({ status }: { status: keyof typeof TONES }) {
  return (
    <span data-testid="workload-status" data-status={status}>
      <Badge tone={TONES[status]}>{status}</Badge>
    </span>
  );
}
