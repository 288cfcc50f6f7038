// Officers' answers to hand-off cases (转人工), shown in the same conversation.
// The assistant's "case" message tells us a case was opened; until its answer has
// been shown, we ask the gateway (POST /api/cases/session) on connect and every
// `intervalMs`. The gateway answers only with the cases of this session id.
const KEY = (sessionId) => `cca:cases:${sessionId}`;

function load(storage, sessionId) {
  try {
    const v = JSON.parse(storage.getItem(KEY(sessionId)) || "{}");
    return { pending: Array.isArray(v.pending) ? v.pending : [], shown: Array.isArray(v.shown) ? v.shown : [] };
  } catch (e) {
    return { pending: [], shown: [] };
  }
}

export class CasePoller {
  constructor({ gatewayUrl, storage, getSessionId, onAnswer, intervalMs = 20000 }) {
    this.url = String(gatewayUrl || window.location.origin).replace(/\/+$/, "") + "/api/cases/session";
    this.storage = storage;
    this.getSessionId = getSessionId;
    this.onAnswer = onAnswer;
    this.intervalMs = intervalMs;
    this.timer = null;
    this.busy = false;
  }

  _save(sessionId, state) {
    try { this.storage.setItem(KEY(sessionId), JSON.stringify(state)); } catch (e) { /* quota */ }
  }

  /** The assistant opened a case in this session. */
  noteCase(number) {
    const id = this.getSessionId();
    if (!id || typeof number !== "string") return;
    const st = load(this.storage, id);
    if (!st.pending.includes(number) && !st.shown.includes(number)) st.pending.push(number);
    this._save(id, st);
    this.start();
  }

  pending() {
    const id = this.getSessionId();
    return id ? load(this.storage, id).pending.length > 0 : false;
  }

  start() {
    if (!this.pending()) return;
    this.poll();
    if (!this.timer) this.timer = setInterval(() => this.poll(), this.intervalMs);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  async poll() {
    const id = this.getSessionId();
    if (!id || this.busy) return;
    const st = load(this.storage, id);
    if (!st.pending.length) { this.stop(); return; }
    this.busy = true;
    try {
      // text/plain keeps this a simple cross-origin request (no preflight); no cookies are sent.
      const r = await fetch(this.url, {
        method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ session_id: id }),
        credentials: "omit",
      });
      if (!r.ok) return;
      const data = await r.json();
      const fresh = load(this.storage, id);
      (data.answers || []).forEach((a) => {
        if (!a || typeof a.number !== "string" || fresh.shown.includes(a.number)) return;
        fresh.shown.push(a.number);
        fresh.pending = fresh.pending.filter((n) => n !== a.number);
        this.onAnswer(String(a.text || ""), a.number);
      });
      this._save(id, fresh);
      if (!fresh.pending.length) this.stop();
    } catch (e) {
      /* offline: try again at the next tick */
    } finally {
      this.busy = false;
    }
  }
}
