// The environment an engine process on this host starts with. Never the server's own: that holds
// the database URL, the auth secret, the token pepper and the encryption key. Only what a process
// needs to find its tools, locale, GPUs and caches is passed on, plus what the launcher adds.
const PASS_ON = new Set([
  "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "XDG_CACHE_HOME",
  "CUDA_HOME", "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES", "LD_LIBRARY_PATH",
  "HF_HOME", "HF_HUB_CACHE", "HF_HUB_OFFLINE",
]);

export function hostEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && (PASS_ON.has(name) || name.startsWith("LC_"))) env[name] = value;
  }
  return env;
}
