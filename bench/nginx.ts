// nginx as the reference reverse proxy, when installed: proxy_pass to a keep-alive upstream block,
// the Authorization header swapped for the upstream key like the other proxies, response buffering
// off (streams pass through as they come, like the gateway). Started with one worker process (one
// core's worth, like one Node event loop) and with one per core (like the gateway's workers).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, startBinary, waitForHttp } from "./procs";

export function nginxBinary(): string | null {
  for (const bin of ["nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"]) {
    try {
      execFileSync(bin, ["-v"], { stdio: "ignore" });
      return bin;
    } catch {
      // not this one
    }
  }
  return null;
}

export async function startNginx(bin: string, dir: string, upstreamPort: number, upstreamKey: string, workers = 1, name = "nginx"): Promise<string> {
  mkdirSync(join(dir, "logs"), { recursive: true });
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, `
daemon off;
worker_processes ${workers};
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream sim { server 127.0.0.1:${upstreamPort}; keepalive 256; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer ${upstreamKey}";
      proxy_buffering off;
    }
  }
}
`);
  const started = startBinary(name, bin, ["-p", dir, "-c", conf, "-e", join(dir, "logs", "error.log")]);
  // The simulator's /health through nginx: 200 once nginx listens and reaches the upstream.
  await waitForHttp(`http://127.0.0.1:${port}/health`, "nginx", started, 15_000);
  return `http://127.0.0.1:${port}`;
}
