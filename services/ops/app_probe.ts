/**
 * The drill's "serving app": main.ts started as its own process on a restored database, with free
 * ports for the web server and the embedded broker; ready once /readyz answers 200 and the home
 * page renders. Its wall time ends the RTO measurement.
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A TCP port nobody listens on right now. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

export interface ServingApp {
  url: string;
  /** The app's output so far (for a failed start). */
  output(): string;
  /** GET `path` on the app. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Starts main.ts with `env` (DATABASE_URL or DATA_DIR say which database) and waits until it
 * serves; throws with its output when it exits or does not answer within `timeoutMs`.
 */
export async function startServingApp(
  env: Record<string, string>,
  timeoutMs = 15 * 60_000,
): Promise<ServingApp> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const base = Deno.env.toObject();
  for (const k of Object.keys(base)) {
    if (k.startsWith("TEST_") || k === "METRICS_PORT") delete base[k];
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: ROOT,
    env: {
      ...base,
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: url,
      MQTT_PORT: String(freePort()),
      PAYMENT_FAKES: "off",
      NO_COLOR: "1",
      ...env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of s) out += dec.decode(chunk, { stream: true });
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      const t = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 15_000);
      await status;
      clearTimeout(t);
    }
    await pumps.catch(() => {});
  };
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (exited) {
      await pumps.catch(() => {});
      throw new Error(`the app exited before serving:\n${out.slice(-3000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not serve within ${timeoutMs / 1000} s:\n${out.slice(-3000)}`);
    }
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) })
      .then(async (r) => (await r.body?.cancel(), r.status === 200), () => false);
    if (ready) {
      const home = await fetch(`${url}/`, { signal: AbortSignal.timeout(30_000) })
        .then(async (r) => (await r.body?.cancel(), r.status), () => 0);
      if (home === 200) break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    output: () => out,
    fetch: (path, init) => fetch(`${url}${path}`, init),
    stop,
  };
}
