/**
 * The one way a background job repeats: `step` runs every `intervalMs` until stopped (stopping
 * cuts the pause short); a step that throws is reported and the pause grows (up to a minute), a
 * step that answers true has more waiting and runs again at once. With a `job` name each
 * successful step is recorded in job_last_success_timestamp_seconds{job} (/metrics).
 */
import { jobSucceeded } from "./metrics.ts";

export interface Worker {
  stop(): Promise<void>;
}

export function loop(
  intervalMs: number,
  step: () => Promise<unknown>,
  onError: (e: unknown) => void,
  job?: string,
): Worker {
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const done = (async () => {
    let failures = 0;
    while (!stopped) {
      let pause = intervalMs;
      try {
        if ((await step()) === true) pause = 0;
        if (job) jobSucceeded(job);
        failures = 0;
      } catch (e) {
        failures++;
        try {
          onError(e);
        } catch { /* a broken logger must not stop the worker */ }
        pause = Math.min(intervalMs * 2 ** Math.min(failures, 6), 60_000);
      }
      if (!stopped && pause > 0) await sleep(pause);
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}
