/**
 * ctx.info: the client's address is the connection's peer, and X-Forwarded-For counts only when
 * that peer is a trusted proxy (then the rightmost address that is not a trusted proxy).
 */
import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import { createApp, type FreshApp } from "@/framework/mod.ts";
import { isIpOrCidr, parseIp, requestInfo, TrustedProxies } from "@/framework/client_info.ts";
import { defineConfig } from "@twind/core";

const root = new URL("./fixture/", import.meta.url).pathname;
const apps = new Map<string, Promise<FreshApp>>();
const app = (trustedProxies: string[]) => {
  const key = trustedProxies.join(",");
  if (!apps.has(key)) {
    apps.set(
      key,
      createApp<{ trail: string[] }>({
        root,
        twind: defineConfig({ hash: false }),
        trustedProxies,
        createState: () => ({ trail: [] }),
      }),
    );
  }
  return apps.get(key)!;
};
const peer = (hostname: string) => ({ remoteAddr: { transport: "tcp", hostname, port: 40000 } });
async function whoami(trusted: string[], from: string, xff?: string) {
  const headers: Record<string, string> = xff ? { "x-forwarded-for": xff } : {};
  const res = await (await app(trusted)).fetch(
    new Request("http://localhost/whoami", { headers }),
    peer(from),
  );
  return await res.json();
}

Deno.test("info: a spoofed X-Forwarded-For from an untrusted peer is ignored", async () => {
  const info = await whoami([], "198.51.100.7", "203.0.113.66");
  assertEquals(info.clientIp, "198.51.100.7");
  assertEquals(info.remoteAddr, { transport: "tcp", hostname: "198.51.100.7", port: 40000 });
  // Also when proxies are configured but this peer is not one of them.
  assertEquals(
    (await whoami(["10.0.0.0/8"], "198.51.100.7", "203.0.113.66")).clientIp,
    "198.51.100.7",
  );
  // A private address is not trusted just for being private.
  assertEquals((await whoami([], "127.0.0.1", "203.0.113.66")).clientIp, "127.0.0.1");
});

Deno.test("info: from a trusted proxy, the rightmost untrusted hop is the client", async () => {
  const trusted = ["10.0.0.0/8", "127.0.0.1"];
  assertEquals((await whoami(trusted, "10.1.2.3", "203.0.113.66")).clientIp, "203.0.113.66");
  // The client wrote "1.1.1.1" itself; the proxy appended the address it saw.
  assertEquals(
    (await whoami(trusted, "127.0.0.1", "1.1.1.1, 203.0.113.66")).clientIp,
    "203.0.113.66",
  );
  // Two proxies in a row: both skipped.
  assertEquals(
    (await whoami(trusted, "127.0.0.1", "1.1.1.1, 203.0.113.66, 10.9.9.9")).clientIp,
    "203.0.113.66",
  );
  // No header: the proxy itself.
  assertEquals((await whoami(trusted, "10.1.2.3")).clientIp, "10.1.2.3");
  // Garbage appended by no proxy of ours stops the walk at the last good hop.
  assertEquals((await whoami(trusted, "10.1.2.3", "evil, 10.0.0.5")).clientIp, "10.0.0.5");
  // IPv6 and IPv4-mapped peers.
  assertEquals((await whoami(["::1"], "::1", "2001:db8::7")).clientIp, "2001:db8::7");
  assertEquals(
    (await whoami(["127.0.0.0/8"], "::ffff:127.0.0.1", "203.0.113.9")).clientIp,
    "203.0.113.9",
  );
});

Deno.test("info: through Deno.serve, app.fetch gets the connection's address", async () => {
  const a = await app([]);
  const ac = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen: () => {} },
    a.fetch,
  );
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/whoami`, {
      headers: { "x-forwarded-for": "203.0.113.66" },
    });
    const info = await res.json();
    assertEquals(info.clientIp, "127.0.0.1");
    assertEquals(info.remoteAddr.transport, "tcp");
    ok(info.remoteAddr.port > 0);
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("info: in-process requests (no connection) are 'local'", async () => {
  const res = await (await app([])).fetch(new Request("http://localhost/whoami"));
  assertEquals((await res.json()).clientIp, "local");
});

Deno.test("trusted proxies: IPs and CIDR ranges, v4 and v6", () => {
  const t = new TrustedProxies(["10.0.0.0/8", "192.168.1.10", "fd00::/8", "unix"]);
  ok(t.has("10.255.0.1") && !t.has("11.0.0.1"));
  ok(t.has("192.168.1.10") && !t.has("192.168.1.11"));
  ok(t.has("fd12:3456::1") && !t.has("fe80::1"));
  ok(t.has("::ffff:10.0.0.1"));
  ok(t.has("unix"));
  ok(!t.has("not-an-ip"));
  ok(new TrustedProxies(["0.0.0.0/0"]).has("8.8.8.8"));
  throws(() => new TrustedProxies(["10.0.0.0/33"]));
  for (const good of ["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32", "::", "unix"]) {
    ok(isIpOrCidr(good), good);
  }
  for (
    const bad of [
      "",
      "localhost",
      "1.2.3",
      "1.2.3.256",
      "::1::2",
      "10.0.0.0/8/8",
      "1:2:3:4:5:6:7:8:9",
    ]
  ) {
    ok(!isIpOrCidr(bad), bad);
  }
  assertEquals(parseIp("1.2.3.4"), { v6: false, bits: 0x01020304n });
  assertEquals(parseIp("::1"), { v6: true, bits: 1n });
});

Deno.test("requestInfo: ports in X-Forwarded-For entries are dropped", () => {
  const t = new TrustedProxies(["10.0.0.1"]);
  const req = (xff: string) => new Request("http://x/", { headers: { "x-forwarded-for": xff } });
  assertEquals(requestInfo(req("203.0.113.5:5123"), peer("10.0.0.1"), t).clientIp, "203.0.113.5");
  assertEquals(requestInfo(req("[2001:db8::5]:443"), peer("10.0.0.1"), t).clientIp, "2001:db8::5");
});
