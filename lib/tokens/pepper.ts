// The server-side pepper keyring for token hashes. From INFERENCEKEY_TOKEN_PEPPER (every process
// of a deployment must share it), or generated once into the data dir on the embedded default.
import { config } from "@/lib/config";
import { dataDirSecret } from "@/lib/config/secrets";
import type { PepperKeyring } from "./storage";

let keyring: PepperKeyring | undefined;

export function tokenKeyring(): PepperKeyring {
  if (keyring) return keyring;
  const { fromEnv, version, previous } = config.tokenPepper;
  const secret = fromEnv ?? dataDirSecret("token-pepper");
  keyring = {
    current: { version, key: Buffer.from(secret, "utf8") },
    previous: previous.map((p) => ({ version: p.version, key: Buffer.from(p.secret, "utf8") })),
  };
  return keyring;
}
