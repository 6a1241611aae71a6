// Web Push on this device, for staff (routes/account/notifications.tsx): subscribes with the
// server's VAPID key through the service worker and hands the subscription to /account/push.
(() => {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const status = box.querySelector("[data-push-status]");
  const say = (t) => (status.textContent = t);
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !box.dataset.vapidKey) {
    say(box.dataset.unsupported);
    return;
  }
  const key = (b64) => {
    const s = atob((b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  };
  const send = (method, body) =>
    fetch("/account/push", {
      method,
      headers: { "content-type": "application/json", "x-csrf-token": box.dataset.csrf },
      body: JSON.stringify(body),
    });
  box.querySelector("[data-push-on]").addEventListener("click", async () => {
    try {
      if ((await Notification.requestPermission()) !== "granted") return say("✗");
      const reg = await navigator.serviceWorker.ready;
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key(box.dataset.vapidKey),
      });
      const res = await send("POST", {
        ...sub.toJSON(),
        device: navigator.userAgent.slice(0, 120),
      });
      say(res.ok ? "✓" : (await res.json()).error);
      if (res.ok) location.reload();
    } catch (e) {
      say(String(e.message || e));
    }
  });
  box.querySelector("[data-push-off]").addEventListener("click", async () => {
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.getSubscription();
    if (sub) {
      await send("DELETE", { endpoint: sub.endpoint });
      await sub.unsubscribe();
    }
    location.reload();
  });
})();
