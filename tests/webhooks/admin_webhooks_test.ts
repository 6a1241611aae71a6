/**
 * The staff's webhook screens (/admin/webhooks), in English and Bangla: a subscription added for
 * a partner (secret shown once), its deliveries and log after the worker ran against a failing
 * receiver, sent again by hand, disabled and enabled; people without the permission get none.
 */
import { equal, match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { Browser, enrolTotp, makeUser, PASSWORD, signIn } from "@/tests/identity/_web.ts";

Deno.test("admin webhooks: add, see the log, send again, disable and enable", async () => {
  let answer = 500;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => new Response("x", { status: answer }),
  );
  try {
    await withTestApp(async (t) => {
      await makeUser(t.db.sql, t.deps.keyring, { email: "boss@example.com", roles: ["admin"] });
      const b = new Browser(t);
      await signIn(b, "boss@example.com", PASSWORD);
      await enrolTotp(b, Date.now);

      await b.get("/admin/webhooks");
      match(b.html, /No subscriptions yet/);
      const url = `http://127.0.0.1:${server.addr.port}/in`;
      // A bad address is refused with the reason, nothing saved.
      let res = await b.post("/admin/webhooks", {
        partner: "courier-co",
        url: "ftp://nope",
        events: ["order.created"],
      });
      equal(res.status, 422);
      match(b.html, /https:\/\//);
      equal((await t.deps.webhooks.list()).length, 0);

      res = await b.post("/admin/webhooks", {
        partner: "courier-co",
        url,
        events: ["order.created", "delivery.updated"],
        email: "it@courier.example",
      });
      equal(res.status, 200);
      const secret = b.html.match(/(whsec_[A-Za-z0-9+/=]+)/)?.[1];
      ok(secret, "the secret is shown once");
      const [sub] = await t.deps.webhooks.list();
      equal(sub.partnerId, "courier-co");
      await b.get("/admin/webhooks");
      ok(!b.html.includes(secret!), "…and never again");
      match(b.html, /courier-co/);

      await t.deps.webhooks.emit({ type: "order.created", data: { number: "SD-1" } });
      await t.deps.webhooks.deliverDue();
      await b.get(`/admin/webhooks/${sub.id}`);
      match(b.html, /order\.created/);
      match(b.html, /failed, will retry/);
      match(b.html, /data-attempt="\d+"[^]*?500/);

      // Sent again by hand, now that the receiver answers.
      answer = 202;
      const delivery = b.html.match(/data-delivery="(\d+)"/)![1];
      res = await b.post(`/admin/webhooks/${sub.id}`, { op: "redeliver", delivery });
      equal(res.status, 303);
      await b.get(res.headers.get("location")!);
      match(b.html, /Sent again/);
      match(b.html, /delivered/);
      match(b.html, />202</);
      match(b.html, /by hand/);

      res = await b.post(`/admin/webhooks/${sub.id}`, { op: "disable" });
      equal(res.status, 303);
      equal((await t.deps.webhooks.get(sub.id))!.status, "disabled");
      res = await b.post(`/admin/webhooks/${sub.id}`, { op: "enable" });
      equal((await t.deps.webhooks.get(sub.id))!.status, "active");

      // In Bangla.
      await b.get(`/admin/webhooks/${sub.id}`, { cookie: `${b.cookieHeader()}; lang=bn` });
      match(b.html, /পাঠানোর লগ/);
      match(b.html, /আবার পাঠান/);

      // A customer sees none of it.
      await makeUser(t.db.sql, t.deps.keyring, { email: "c@example.com", roles: ["customer"] });
      const c = new Browser(t);
      await signIn(c, "c@example.com", PASSWORD);
      const no = await c.get("/admin/webhooks");
      ok(no.status === 403 || no.status === 303, `status ${no.status}`);
      ok(!c.html.includes("courier-co"));
    });
  } finally {
    await server.shutdown();
  }
});
