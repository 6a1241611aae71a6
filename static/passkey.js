// Passkeys (WebAuthn) in the browser: sign in on /signin ([data-passkey-signin]) and add one on
// /account/passkeys ([data-passkey-register]). The server's routes speak the JSON that
// @simplewebauthn/server makes; this file converts base64url fields to and from ArrayBuffers.
(() => {
  const b64 = (s) => {
    const t = atob((s + "===".slice((s.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(t, (c) => c.charCodeAt(0)).buffer;
  };
  const str = (buf) =>
    btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, "-").replace(/\//g, "_")
      .replace(/=+$/, "");
  // A credential as JSON: its binary fields in base64url, its own response fields added by the caller.
  const credentialJson = (cred, response) => ({
    id: cred.id,
    rawId: str(cred.rawId),
    type: cred.type,
    clientExtensionResults: cred.getClientExtensionResults(),
    response: { clientDataJSON: str(cred.response.clientDataJSON), ...response },
  });
  const post = async (url, csrf, body) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.error || "");
    return json;
  };
  const supported = !!(globalThis.PublicKeyCredential && navigator.credentials);
  const wire = (box, run) => {
    const button = box.querySelector("button");
    const status = box.querySelector("[data-passkey-status]");
    if (!supported) {
      if (status) status.textContent = box.dataset.unsupported;
      return;
    }
    box.hidden = false;
    button.disabled = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        location.assign(await run());
      } catch (e) {
        if (status) status.textContent = (e && e.message) || box.dataset.failed;
        button.disabled = false;
      }
    });
  };

  const signin = document.querySelector("[data-passkey-signin]");
  if (signin) {
    wire(signin, async () => {
      const csrf = signin.dataset.csrf;
      const o = await post("/signin/passkey", csrf, { step: "options" });
      const cred = await navigator.credentials.get({
        publicKey: {
          challenge: b64(o.challenge),
          rpId: o.rpId,
          timeout: o.timeout,
          userVerification: o.userVerification,
          allowCredentials: (o.allowCredentials || []).map((c) => ({ ...c, id: b64(c.id) })),
        },
      });
      const r = cred.response;
      const remember = document.querySelector('input[name="remember"]');
      const out = await post("/signin/passkey", csrf, {
        step: "verify",
        next: signin.dataset.next || "",
        remember: !!(remember && remember.checked),
        response: credentialJson(cred, {
          authenticatorData: str(r.authenticatorData),
          signature: str(r.signature),
          userHandle: r.userHandle ? str(r.userHandle) : undefined,
        }),
      });
      return out.location;
    });
  }

  const reg = document.querySelector("[data-passkey-register]");
  if (reg) {
    wire(reg, async () => {
      const csrf = reg.dataset.csrf;
      const o = await post("/account/passkeys/register", csrf, { step: "options" });
      const cred = await navigator.credentials.create({
        publicKey: {
          ...o,
          challenge: b64(o.challenge),
          user: { ...o.user, id: b64(o.user.id) },
          excludeCredentials: (o.excludeCredentials || []).map((c) => ({ ...c, id: b64(c.id) })),
        },
      });
      const r = cred.response;
      const out = await post("/account/passkeys/register", csrf, {
        step: "verify",
        name: reg.querySelector("input").value,
        response: credentialJson(cred, {
          attestationObject: str(r.attestationObject),
          transports: r.getTransports ? r.getTransports() : [],
        }),
      });
      return out.location;
    });
  }
})();
