/**
 * The portal's second slice (issue 14 §1, §7): the application's papers (type and size limits,
 * attachments only for the account and sales); a buyer of one account never reaches another
 * account's orders, prices, invoices, outlets, standing orders or papers, whatever id they put in
 * a URL or a form; wholesale enquiries of the contact form become applications.
 */
import { equal, match, ok } from "node:assert/strict";
import { pageForm, post, withShop } from "@/tests/shop/_helpers.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { application, approvedAccount, quickOrder } from "./_helpers.ts";
import { pdf, postFile } from "./_more_helpers.ts";

Deno.test("b2b: application papers — PDF, JPEG or PNG up to 1.5 MB, for the applicant and sales only", async () => {
  await withShop(async (s) => {
    const applicant = await s.user(["customer"]);
    const f = await pageForm(s, "/b2b", applicant.cookie);
    equal((await post(s, "/b2b", application(s, "Rose Sweets"), f)).status, 303);
    const status = await (await s.fetch("/b2b", { headers: { cookie: applicant.cookie } })).text();
    ok(status.includes('href="/b2b/documents"'), "the application links to its papers");

    const d = await pageForm(s, "/b2b/documents", applicant.cookie);
    equal(d.status, 200);
    const good = await postFile(s, "/b2b/documents", { kind: "trade_licence" }, {
      name: "licence scan.PDF",
      type: "application/pdf",
      bytes: pdf(),
    }, d);
    equal(good.status, 303);
    // A text file named .pdf: refused on what it is, not its name.
    const fake = await postFile(s, "/b2b/documents", { kind: "tin" }, {
      name: "tin.pdf",
      type: "application/pdf",
      bytes: new TextEncoder().encode("just some text, not a PDF at all"),
    }, d);
    equal(fake.status, 422);
    ok((await fake.text()).includes("Only PDF, JPEG or PNG files."));
    // 1.6 MB of PNG: too big (within the request limit, refused by the portal).
    const big = new Uint8Array(1_600 * 1024);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const tooBig = await postFile(s, "/b2b/documents", { kind: "bin" }, {
      name: "bin.png",
      type: "image/png",
      bytes: big,
    }, d);
    equal(tooBig.status, 422);
    ok((await tooBig.text()).includes("The file is larger than 1.5 MB."));
    // 3 MB: the request itself is refused before it is read.
    const huge = new Uint8Array(3 * 1024 * 1024);
    huge.set([0xff, 0xd8, 0xff]);
    const over = await postFile(s, "/b2b/documents", { kind: "nid" }, {
      name: "nid.jpg",
      type: "image/jpeg",
      bytes: huge,
    }, d);
    equal(over.status, 413);
    await over.body?.cancel();
    const noFile = await postFile(s, "/b2b/documents", { kind: "nid" }, null, d);
    equal(noFile.status, 422);
    ok((await noFile.text()).includes("Choose a file."));
    equal((await s.sql`select count(*)::int as n from b2b_documents`)[0].n, 1, "only the good one");

    const list = await (await s.fetch("/b2b/documents", { headers: { cookie: applicant.cookie } }))
      .text();
    const docId = list.match(/data-document="(\d+)"/)![1];
    ok(list.includes("licence scan.pdf"), "the name kept, its extension from its type");
    const own = await s.fetch(`/b2b/documents/${docId}`, { headers: { cookie: applicant.cookie } });
    equal(own.status, 200);
    equal(own.headers.get("content-type"), "application/pdf");
    match(
      own.headers.get("content-disposition") ?? "",
      /^attachment; filename="licence scan\.pdf"$/,
    );
    equal(own.headers.get("x-content-type-options"), "nosniff");
    equal(new Uint8Array(await own.arrayBuffer()).length, pdf().length);

    // Sales see it from the account's page; a customer neither there nor through the portal.
    const sales = await s.user(["sales"]);
    const [acc] = await s.sql`select id from b2b_accounts where company = 'Rose Sweets'`;
    const staffList = await (await s.fetch(`/admin/b2b/accounts/${acc.id}/documents`, {
      headers: { cookie: sales.cookie },
    })).text();
    ok(staffList.includes("Trade licence"));
    const staffGet = await s.fetch(`/admin/b2b/documents/${docId}`, {
      headers: { cookie: sales.cookie },
    });
    equal(staffGet.status, 200);
    await staffGet.body?.cancel();
    const stranger = await s.user(["customer"]);
    const r1 = await s.fetch(`/admin/b2b/documents/${docId}`, {
      headers: { cookie: stranger.cookie },
    });
    equal(r1.status, 403);
    await r1.body?.cancel();
    const r2 = await s.fetch(`/b2b/documents/${docId}`, { headers: { cookie: stranger.cookie } });
    equal(r2.status, 404);
    await r2.body?.cancel();
    const anon = await s.fetch(`/b2b/documents/${docId}`, { redirect: "manual" });
    ok(anon.status === 303 || anon.status === 302 || anon.status === 401, `anon: ${anon.status}`);
    await anon.body?.cancel();
  });
});

Deno.test("b2b: a buyer of one account never sees another's orders, prices, invoices, outlets or papers", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    const a = await approvedAccount(s, sales, "Amber Hotel", { limit: "1000000" });
    const b = await approvedAccount(s, sales, "Bistro Blue", { limit: "1000000" });
    // Amber: a contract price, an order delivered with its invoice, a standing order, a paper.
    equal(
      (await post(s, `/admin/b2b/accounts/${a.id}`, {
        action: "price",
        sku: "SDOI-500",
        minQty: "1",
        price: "77.70",
        validFrom: "2020-01-01",
        validTo: "",
        scope: "account",
      }, a.page)).status,
      303,
    );
    const placed = await quickOrder(s, a.applicant.cookie, [["SDOI-500", 3]]);
    equal(placed.status, 303);
    const orderUrl = placed.headers.get("location")!;
    const orderId = orderUrl.split("/").pop()!;
    const p = await pageForm(s, `/admin/b2b/accounts/${a.id}`, sales.cookie);
    equal(
      (await post(s, `/admin/b2b/accounts/${a.id}`, {
        action: "deliver",
        orderId,
        receivedBy: "Amber's storekeeper",
      }, p)).status,
      303,
    );
    const [{ invoice_number: invoice }] = await s.sql`select invoice_number from b2b_orders
      where id = ${orderId}`;
    ok(invoice);
    const [aOutlet] = await s.deps.b2b.outlets(a.id);
    const fa = await pageForm(s, "/b2b/standing", a.applicant.cookie);
    equal(
      (await post(s, "/b2b/standing", {
        outletId: String(aOutlet.id),
        weekday: "3",
        "lines.0.sku": "GHEE-500",
        "lines.0.qty": "9",
      }, fa)).status,
      303,
    );
    const da = await pageForm(s, "/b2b/documents", a.applicant.cookie);
    equal(
      (await postFile(s, "/b2b/documents", { kind: "nid" }, {
        name: "amber-nid.pdf",
        type: "application/pdf",
        bytes: pdf("Amber"),
      }, da)).status,
      303,
    );
    const [{ id: docId }] = await s.sql`select id from b2b_documents where account_id = ${a.id}`;

    const bc = b.applicant.cookie;
    const get = async (path: string) => {
      const r = await s.fetch(path, { headers: { cookie: bc } });
      return { status: r.status, html: await r.text() };
    };
    // URLs with Amber's ids.
    equal((await get(orderUrl)).status, 404);
    equal((await get(`/b2b/order?from=${orderId}`)).status, 404);
    equal((await get(`/b2b/documents/${docId}`)).status, 404);
    // Bistro's own pages show nothing of Amber's.
    for (const path of ["/b2b", "/b2b/order", "/b2b/outlets", "/b2b/standing", "/b2b/documents"]) {
      const { status, html } = await get(path);
      equal(status, 200, path);
      ok(!html.includes(invoice), `${path}: Amber's invoice`);
      ok(!html.includes("৳77.70"), `${path}: Amber's contract price`);
      ok(!html.includes("GHEE-500 × 9"), `${path}: Amber's standing order`);
      ok(!html.includes("amber-nid"), `${path}: Amber's paper`);
      const outletSelect = html.match(/name="outletId"[\s\S]*?<\/select>/)?.[0] ?? "";
      ok(!outletSelect.includes(`value="${aOutlet.id}"`), `${path}: Amber's outlet`);
      ok(!html.includes(`data-outlet="${aOutlet.id}"`), `${path}: Amber's outlet`);
      ok(!html.includes("Amber Hotel"), path);
    }
    // Forms with Amber's ids.
    const fb = await pageForm(s, "/b2b/outlets", bc);
    const outletEdit = await post(s, "/b2b/outlets", {
      id: String(aOutlet.id),
      name: "Taken over",
      address: "Somewhere else, Dhaka",
      zoneCode: "",
      slotCode: "",
      receivingFrom: "",
      receivingTo: "",
    }, fb);
    equal(outletEdit.status, 404);
    await outletEdit.body?.cancel();
    equal((await s.deps.b2b.outlets(a.id))[0].name, aOutlet.name, "Amber's outlet unchanged");
    const standing = await post(s, "/b2b/standing", {
      outletId: String(aOutlet.id),
      weekday: "3",
      "lines.0.sku": "GHEE-500",
      "lines.0.qty": "1",
    }, fb);
    equal(standing.status, 422);
    ok((await standing.text()).includes("Choose one of your outlets."));
    const order = await post(s, "/b2b/order", {
      outletId: String(aOutlet.id),
      deliveryDate: addDays(dhakaDate(s.clock.now()), 1),
      "lines.0.sku": "SDOI-500",
      "lines.0.qty": "2",
    }, fb);
    equal(order.status, 422);
    ok((await order.text()).includes("Choose one of your outlets."));
    const approve = await post(s, orderUrl, {}, fb);
    equal(approve.status, 404);
    await approve.body?.cancel();
    equal(
      (await s.sql`select count(*)::int as n from b2b_orders where account_id = ${b.id}`)[0].n,
      0,
    );
    equal(
      (await s.sql`select count(*)::int as n from b2b_standing_orders where account_id = ${b.id}`)[
        0
      ]
        .n,
      0,
    );
    // Bistro's prices are the public ones (without VAT), not Amber's contract.
    const home = await get("/b2b");
    const row = home.html.match(/data-sku="SDOI-500"[\s\S]*?<\/tr>/)![0];
    ok(!row.includes("(contract)"));
  });
});

Deno.test("b2b: a wholesale enquiry from the contact form becomes an application", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    const enquirer = await s.user(["customer"]);
    const id = await s.deps.site.contact({
      name: "Nasima Akter",
      phone: enquirer.user.phone!.replace("+88", ""),
      email: "",
      topic: "wholesale",
      message: "We run three bakeries in Mirpur and want 200 L of milk a day.",
    }, "en");
    await s.deps.site.contact({
      name: "Someone Else",
      phone: "01711000999",
      email: "",
      topic: "order",
      message: "Where is my order from yesterday?",
    }, "en");
    const list =
      await (await s.fetch("/admin/b2b/enquiries", { headers: { cookie: sales.cookie } }))
        .text();
    ok(list.includes("Nasima Akter"));
    ok(!list.includes("Someone Else"), "only wholesale enquiries");
    const f = await pageForm(s, `/admin/b2b/enquiries/${id}`, sales.cookie);
    equal(f.status, 200);
    ok(f.html.includes('value="Nasima Akter"'), "the contact comes from the enquiry");
    const bad = await post(s, `/admin/b2b/enquiries/${id}`, {
      company: "Mirpur Bakers",
      bin: "1",
    }, f);
    equal(bad.status, 422);
    ok((await bad.text()).includes("A BIN has 13 digits."));
    const app = { ...application(s, "Mirpur Bakers") };
    delete app["contacts.0.name"];
    delete app["contacts.0.phone"];
    const made = await post(s, `/admin/b2b/enquiries/${id}`, {
      ...app,
      "contacts.0.name": "Nasima Akter",
      "contacts.0.phone": enquirer.user.phone!,
    }, f);
    equal(made.status, 303);
    const [acc] = await s.sql`select id, status, applicant_user_id, enquiry_id from b2b_accounts
      where company = 'Mirpur Bakers'`;
    equal(acc.status, "applied");
    equal(Number(acc.enquiry_id), id);
    equal(acc.applicant_user_id, enquirer.user.id, "the enquirer is the applicant");
    equal(made.headers.get("location"), `/admin/b2b/accounts/${acc.id}`);
    // Listed as done; once only; the enquirer sees their application at /b2b.
    const after =
      await (await s.fetch("/admin/b2b/enquiries", { headers: { cookie: sales.cookie } }))
        .text();
    match(after, new RegExp(`href="/admin/b2b/accounts/${acc.id}"[^>]*>\\s*Mirpur Bakers`));
    const again = await post(s, `/admin/b2b/enquiries/${id}`, app, f);
    equal(again.status, 409);
    await again.body?.cancel();
    const mine = await (await s.fetch("/b2b", { headers: { cookie: enquirer.cookie } })).text();
    ok(mine.includes("Mirpur Bakers"));
  });
});
