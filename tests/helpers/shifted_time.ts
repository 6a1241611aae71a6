/**
 * Runs a test process at another time of day: with SD_TEST_DHAKA_TIME=HH:MM, `Date.now()` and
 * `new Date()` start at that time on today's date in Dhaka and run on from there. Used to show
 * that the suites pass at any hour (the code under test should take an injected clock anyway):
 *
 *   SD_TEST_DHAKA_TIME=23:59 deno test -A --preload=tests/helpers/shifted_time.ts tests/shop/
 *
 * Only this process's clock moves; a PostgreSQL server's now() does not.
 */
const want = Deno.env.get("SD_TEST_DHAKA_TIME");
if (want) {
  if (!/^\d{2}:\d{2}$/.test(want)) throw new Error(`SD_TEST_DHAKA_TIME=${want}: use HH:MM`);
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  const today = new RealDate(realNow() + 6 * 3600_000).toISOString().slice(0, 10);
  const offset = RealDate.parse(`${today}T${want}:00+06:00`) - realNow();
  RealDate.now = () => realNow() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length ? args : [RealDate.now()], newTarget);
    },
    apply() {
      return new RealDate(RealDate.now()).toString();
    },
  });
  console.log(`(test clock: ${new Date().toISOString()}, ${want} in Dhaka)`);
}
