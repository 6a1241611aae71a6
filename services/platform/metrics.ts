/**
 * A small Prometheus registry. Counters, gauges and histograms keyed by name and labels; the
 * `/metrics` route renders the whole registry in the Prometheus text format (version 0.0.4).
 * Workers that run in their own process expose their own registry the same way.
 */
type Labels = Record<string, string>;

// Callers on hot paths reuse their label objects, so the formatted key is cached per object.
const keyCache = new WeakMap<Labels, string>();
const labelKey = (labels: Labels) => {
  let k = keyCache.get(labels);
  if (k === undefined) {
    k = Object.keys(labels).sort().map((k) =>
      `${k}="${String(labels[k]).replace(/["\\\n]/g, "_")}"`
    ).join(",");
    keyCache.set(labels, k);
  }
  return k;
};

abstract class Metric {
  constructor(readonly name: string, readonly help: string, readonly type: string) {}
  abstract lines(): string[];
}

export class Counter extends Metric {
  #values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, "counter");
  }
  inc(labels: Labels = {}, by = 1) {
    const k = labelKey(labels);
    this.#values.set(k, (this.#values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}) {
    return this.#values.get(labelKey(labels)) ?? 0;
  }
  lines() {
    return [...this.#values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ""} ${v}`);
  }
}

export class Gauge extends Metric {
  #values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, "gauge");
  }
  set(value: number, labels: Labels = {}) {
    this.#values.set(labelKey(labels), value);
  }
  get(labels: Labels = {}) {
    return this.#values.get(labelKey(labels)) ?? 0;
  }
  lines() {
    return [...this.#values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ""} ${v}`);
  }
}

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram extends Metric {
  #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, readonly buckets = DEFAULT_BUCKETS) {
    super(name, help, "histogram");
  }
  /** Records one observation, in seconds for latencies. */
  observe(value: number, labels: Labels = {}) {
    const k = labelKey(labels);
    let s = this.#series.get(k);
    if (!s) this.#series.set(k, s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 });
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) s.counts[i]++;
    s.sum += value;
    s.count++;
  }
  lines() {
    const out: string[] = [];
    for (const [k, s] of this.#series) {
      const sep = k ? `${k},` : "";
      this.buckets.forEach((b, i) =>
        out.push(`${this.name}_bucket{${sep}le="${b}"} ${s.counts[i]}`)
      );
      out.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${k ? `{${k}}` : ""} ${s.sum}`);
      out.push(`${this.name}_count${k ? `{${k}}` : ""} ${s.count}`);
    }
    return out;
  }
}

export class Registry {
  #metrics = new Map<string, Metric>();
  #get<M extends Metric>(name: string, make: () => M): M {
    const existing = this.#metrics.get(name);
    if (existing) return existing as M;
    const m = make();
    this.#metrics.set(name, m);
    return m;
  }
  counter(name: string, help: string) {
    return this.#get(name, () => new Counter(name, help));
  }
  gauge(name: string, help: string) {
    return this.#get(name, () => new Gauge(name, help));
  }
  histogram(name: string, help: string, buckets?: number[]) {
    return this.#get(name, () => new Histogram(name, help, buckets));
  }
  #collectors: (() => unknown)[] = [];
  /**
   * Registers a function that refreshes gauges just before a scrape (e.g. a query for the queue
   * lag); `collect()` runs them all, each bounded to 5 s, and a failing one is skipped.
   */
  onCollect(fn: () => unknown): () => void {
    this.#collectors.push(fn);
    return () => void (this.#collectors = this.#collectors.filter((f) => f !== fn));
  }
  /** Runs the collectors (see onCollect); call before render() when serving a scrape. */
  async collect(): Promise<void> {
    await Promise.all(this.#collectors.map(async (fn) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(fn).catch(() => {}),
          new Promise<void>((r) => timer = setTimeout(r, 5000)),
        ]);
      } finally {
        clearTimeout(timer);
      }
    }));
  }
  /** The registry in the Prometheus text exposition format. */
  render(): string {
    const out: string[] = [];
    for (const m of this.#metrics.values()) {
      out.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`, ...m.lines());
    }
    return out.join("\n") + "\n";
  }
}

/** The process-wide registry. */
export const metrics = new Registry();

const jobSuccess = metrics.gauge(
  "job_last_success_timestamp_seconds",
  "Unix time of the last successful run of each scheduled job",
);
const jobLabels = new Map<string, Record<string, string>>();
/** Records a successful run of the scheduled job `job` (alert: a job silent for too long). */
export function jobSucceeded(job: string, at: Date = new Date()): void {
  let labels = jobLabels.get(job);
  if (!labels) jobLabels.set(job, labels = { job });
  jobSuccess.set(Math.floor(at.getTime() / 1000), labels);
}
