// Provider name → adapter. Adding a provider: implement ProviderAdapter (lib/providers/types.ts)
// in its own folder and register it here (docs/adding-a-provider.md).
import { createKubernetesAdapter } from "./kubernetes/kubernetes-adapter";
import { createLocalAdapter } from "./local/local-adapter";
import { createSimulatorAdapter } from "./local/simulator-adapter";
import { createRunpodAdapter } from "./runpod/runpod-adapter";
import type { ProviderAdapter } from "./types";

let adapters: Map<string, ProviderAdapter> | undefined;

export function getAdapter(name: string): ProviderAdapter | undefined {
  adapters ??= new Map<string, ProviderAdapter>(
    [createLocalAdapter(), createSimulatorAdapter(), createRunpodAdapter(), createKubernetesAdapter()].map((a) => [a.name, a]),
  );
  return adapters.get(name);
}
