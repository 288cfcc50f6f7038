// A socket.io connection to Rasa's `socketio` channel with session persistence.
// Protocol (rasa/core/channels/socketio.py): emit `session_request` {session_id}
// right after connecting, wait for `session_confirm`, then `user_uttered`
// {message, session_id, customData}; replies arrive as `bot_uttered`.
import { io } from "socket.io-client";

const SESSION_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidSessionId(id) {
  return typeof id === "string" && SESSION_RE.test(id);
}

function safeStorage() {
  try {
    const k = "__cca_probe__";
    window.localStorage.setItem(k, "1");
    window.localStorage.removeItem(k);
    return window.localStorage;
  } catch (e) {
    const mem = {};
    return {
      getItem: (k) => (k in mem ? mem[k] : null),
      setItem: (k, v) => { mem[k] = String(v); },
      removeItem: (k) => { delete mem[k]; },
    };
  }
}

export class RasaSocket {
  constructor({ serverUrl, socketPath = "/socket.io/", storageKey, metadata = {},
                onBotMessage, onStatus, onSession }) {
    this.serverUrl = serverUrl;
    this.socketPath = socketPath;
    this.storage = safeStorage();
    this.storageKey = storageKey;
    this.metadata = metadata;
    this.onBotMessage = onBotMessage || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onSession = onSession || (() => {});
    this.confirmed = false;
    this.queue = [];
    this.socket = null;
  }

  get sessionId() {
    const id = this.storage.getItem(this.storageKey);
    return isValidSessionId(id) ? id : null;
  }

  set sessionId(id) {
    if (id && isValidSessionId(id)) this.storage.setItem(this.storageKey, id);
    else this.storage.removeItem(this.storageKey);
  }

  connect() {
    if (this.socket) return;
    this.onStatus("connecting");
    this.socket = io(this.serverUrl, {
      path: this.socketPath,
      transports: ["websocket", "polling"],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      timeout: 10000,
    });
    this.socket.on("connect", () => {
      this.confirmed = false;
      this.socket.emit("session_request", { session_id: this.sessionId });
    });
    this.socket.on("session_confirm", (data) => {
      const id = typeof data === "string" ? data : data && data.session_id;
      if (isValidSessionId(id)) {
        const prev = this.sessionId;
        this.sessionId = id;
        if (id !== prev) this.onSession(id, prev);
      }
      this.confirmed = true;
      this.onStatus("connected");
      const pending = this.queue.splice(0);
      pending.forEach((m) => this._emit(m));
    });
    this.socket.on("bot_uttered", (msg) => this.onBotMessage(msg || {}));
    this.socket.on("disconnect", () => { this.confirmed = false; this.onStatus("reconnecting"); });
    this.socket.on("connect_error", () => this.onStatus("reconnecting"));
    this.socket.io.on("reconnect_failed", () => this.onStatus("offline"));
  }

  send(message) {
    const m = String(message);
    if (this.confirmed && this.socket && this.socket.connected) this._emit(m);
    else this.queue.push(m);
  }

  _emit(message) {
    this.socket.emit("user_uttered", {
      message,
      session_id: this.sessionId,
      customData: this.metadata,
    });
  }

  /** Forget the session and start a new one (kiosk idle timeout, "new chat"); the
   * server ends the old session's enterprise binding. */
  reset() {
    if (this.socket && this.socket.connected && this.sessionId) {
      this.socket.emit("session_end", { session_id: this.sessionId });
    }
    this.sessionId = null;
    this.queue = [];
    if (this.socket) {
      this.socket.disconnect();
      this.socket = null;
    }
    this.connect();
  }
}
