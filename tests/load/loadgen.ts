// Fallback HTTP load generator (when wrk is not installed): `deno run -A loadgen.ts URL SECONDS CONNS`.
const [url, seconds, conns, headersJson] = Deno.args;
// Optional 4th argument: request headers as JSON.
const headers: Record<string, string> = headersJson ? JSON.parse(headersJson) : {};
const until = performance.now() + Number(seconds) * 1000;
const lat: number[] = [];
let errors = 0;
async function worker() {
  while (performance.now() < until) {
    const t = performance.now();
    try {
      const r = await fetch(url, { headers });
      await r.arrayBuffer();
      if (!r.ok) errors++;
    } catch {
      errors++;
    }
    lat.push(performance.now() - t);
  }
}
await Promise.all(Array.from({ length: Number(conns) }, worker));
lat.sort((a, b) => a - b);
const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? NaN;
console.log(JSON.stringify({
  rps: lat.length / Number(seconds),
  p50ms: p(0.5),
  p99ms: p(0.99),
  errors,
}));
