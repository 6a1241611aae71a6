/**
 * Where a partner's webhook may not point (server-side request forgery): this network's insides —
 * loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast and reserved
 * addresses — whether written as an address or behind a host name. Plain-http deliveries to this
 * machine stay allowed (development and tests; the subscription form allows http only there).
 * The name is resolved again just before each delivery; a name that changes its answer between
 * this check and the connection (DNS rebinding) is not caught here.
 */

const LOCAL_HTTP = new Set(["localhost", "127.0.0.1", "[::1]"]);

function v4(ip: string): number[] | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  const n = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return n.every((x) => x >= 0 && x <= 255) ? n : null;
}

/** True for an address a partner endpoint must never be (see the module comment). */
export function isInternalAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").toLowerCase();
  const a = v4(ip);
  if (a) {
    const [x, y] = a;
    return x === 0 || x === 10 || x === 127 || (x === 100 && y >= 64 && y < 128) ||
      (x === 169 && y === 254) || (x === 172 && y >= 16 && y < 32) ||
      (x === 192 && y === 168) || (x === 192 && y === 0 && a[2] === 0) || x >= 224;
  }
  if (!ip.includes(":")) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isInternalAddress(mapped[1]);
  return ip === "::" || ip === "::1" || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip) ||
    /^ff/.test(ip);
}

type Resolve = (name: string, type: "A" | "AAAA") => Promise<string[]>;

/** Why a delivery to `url` is refused (an internal target), or null when it may go. */
export async function refusedTarget(
  url: string,
  resolve: Resolve = (name, type) => Deno.resolveDns(name, type),
): Promise<string | null> {
  const u = new URL(url);
  if (u.protocol === "http:" && LOCAL_HTTP.has(u.hostname)) return null;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  if (v4(host) || host.includes(":")) {
    return isInternalAddress(host) ? `Refused: ${host} is an internal address` : null;
  }
  const found = (await Promise.all([
    resolve(host, "A").catch(() => [] as string[]),
    resolve(host, "AAAA").catch(() => [] as string[]),
  ])).flat();
  if (found.length === 0) return `Refused: ${host} does not resolve`;
  const inside = found.find(isInternalAddress);
  return inside ? `Refused: ${host} resolves to the internal address ${inside}` : null;
}
