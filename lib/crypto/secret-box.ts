// Encryption at rest for secrets the server must read back (upstream keys, engine env, provider
// credentials): AES-256-GCM with a random 96-bit nonce per message. Each ciphertext names the key
// it was sealed with (a short key id), so keys can be rotated: new data uses the current key and
// old data still opens with a previous one.
//   format: v1.<kid>.<nonce b64url>.<tag b64url>.<ciphertext b64url>
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { config } from "@/lib/config";
import { dataDirSecret } from "@/lib/config/secrets";

type Key = { id: string; key: Buffer };

function deriveKey(secret: string): Key {
  const key = createHash("sha256").update(secret, "utf8").digest();
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key };
}

let keys: { current: Key; all: Map<string, Key> } | undefined;

function keyring() {
  if (keys) return keys;
  const current = deriveKey(config.encryptionKeys.fromEnv ?? dataDirSecret("encryption-key"));
  const all = new Map([current, ...config.encryptionKeys.previous.map(deriveKey)].map((k) => [k.id, k]));
  keys = { current, all };
  return keys;
}

export function seal(plaintext: string): string {
  const { current } = keyring();
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.key, nonce);
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", current.id, nonce.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function open(sealed: string): string {
  const [version, kid, nonce, tag, ct] = sealed.split(".");
  if (version !== "v1" || !kid || !nonce || !tag || ct === undefined) throw new Error("unreadable ciphertext");
  const key = keyring().all.get(kid);
  if (!key) throw new Error("ciphertext was sealed with an unknown key (set INFERENCEKEY_ENCRYPTION_KEYS_PREVIOUS)");
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(nonce, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

export const sealJson = (value: unknown) => seal(JSON.stringify(value));
export const openJson = <T>(sealed: string): T => JSON.parse(open(sealed)) as T;

/** A new upstream key: 256 bits, URL-safe, with a recognizable prefix for log scanners. */
export const newUpstreamKey = () => `ikup_${randomBytes(32).toString("base64url")}`;
