// Embeddable chat widget:
//   <script src="https://gateway/widget.js" data-server-url="http://host:5005"
//           data-lang="zh" data-title="..."></script>
// Optional: data-socket-path (default /socket.io/), data-open="true",
// data-init-payload="/greet" (sent once when a new session starts).
import { RasaSocket, isValidSessionId } from "./connection.js";
import { CasePoller } from "./cases.js";
import { normalize, renderItem, reveal } from "./render.js";
import { STRINGS, clearLang, pickLang, watchLength } from "./i18n.js";
import CSS from "./widget.css.js";

const P = "cca";
const MAX_HISTORY = 200;

function init(opts) {
  const serverUrl = (opts.serverUrl || window.location.origin).replace(/\/+$/, "");
  const storageKey = `cca:session:${serverUrl}`;
  const historyKey = (id) => `cca:history:${serverUrl}:${id}`;
  const langKey = `cca:lang:${serverUrl}`;
  // The user's own choice (the 中文/EN switch) wins over the page's language.
  let chosen = null;
  try { chosen = window.localStorage.getItem(langKey); } catch (e) { /* private mode */ }
  let lang = pickLang(chosen || opts.lang || document.documentElement.lang);
  let S = STRINGS[lang];
  const titleFor = (l) => (l === pickLang(opts.lang || document.documentElement.lang) && opts.title) || STRINGS[l].title;

  // A phone that scanned the kiosk QR code continues the kiosk's session: the
  // gateway's one-time /handoff/<token> link redirects here with the signed
  // session in the fragment (never sent to a server, removed from the address bar).
  const params = new URLSearchParams(window.location.hash.slice(1));
  const sharedSession = params.get("session");
  let openOnStart = opts.open;
  if (isValidSessionId(sharedSession)) {
    try { window.localStorage.setItem(storageKey, sharedSession); } catch (e) { /* private mode */ }
    try { window.history.replaceState(null, "", window.location.pathname + window.location.search); } catch (e) { /* old browser */ }
    openOnStart = true;
  }

  const style = document.createElement("style");
  style.textContent = CSS;
  document.head.appendChild(style);

  const root = document.createElement("div");
  root.className = `${P}-root`;
  root.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");

  // The launcher's accessible name is its visible label (WCAG 2.5.3); the icon is decoration.
  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = `${P}-launcher`;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", `${P}-panel`);
  // An SVG speech bubble: an emoji would show as a box where no emoji font is installed.
  const NS = "http://www.w3.org/2000/svg";
  const icon = document.createElementNS(NS, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("width", "20");
  icon.setAttribute("height", "20");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  icon.setAttribute("class", `${P}-icon`);
  const bubble = document.createElementNS(NS, "path");
  bubble.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  bubble.setAttribute("fill", "currentColor");
  icon.appendChild(bubble);
  const launcherText = document.createElement("span");
  launcher.append(icon, launcherText);

  const panel = document.createElement("section");
  panel.className = `${P}-panel`;
  panel.id = `${P}-panel`;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", `${P}-title`);
  panel.hidden = true;

  // A div, not <header>: the host page has its own banner landmark.
  const header = document.createElement("div");
  header.className = `${P}-header`;
  const h = document.createElement("h2");
  h.id = `${P}-title`;
  const status = document.createElement("span");
  status.className = `${P}-status`;
  status.setAttribute("role", "status");
  const langBtn = document.createElement("button");
  langBtn.type = "button";
  langBtn.className = `${P}-lang`;
  const newBtn = document.createElement("button");
  newBtn.type = "button";
  newBtn.className = `${P}-new`;
  const closeBtn = document.createElement("button");
  closeBtn.type = "button";
  closeBtn.className = `${P}-close`;
  closeBtn.textContent = "×";
  header.append(h, status, langBtn, newBtn, closeBtn);

  const log = document.createElement("div");
  log.className = `${P}-log`;
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", S.log);
  log.tabIndex = 0;

  const typing = document.createElement("div");
  typing.className = `${P}-typing`;
  typing.hidden = true;
  typing.setAttribute("role", "status");
  const dots = document.createElement("span");
  dots.className = `${P}-dots`;
  dots.setAttribute("aria-hidden", "true");
  dots.textContent = "• • •";
  const typingText = document.createElement("span");
  typingText.className = `${P}-sr`;
  typing.append(dots, typingText);

  const form = document.createElement("form");
  form.className = `${P}-form`;
  const label = document.createElement("label");
  label.className = `${P}-sr`;
  label.htmlFor = `${P}-input`;
  const input = document.createElement("input");
  input.type = "text";
  input.id = `${P}-input`;
  input.className = `${P}-input`;
  input.autocomplete = "off";
  input.maxLength = 1000;
  const send = document.createElement("button");
  send.type = "submit";
  send.className = `${P}-send`;
  form.append(label, input, send);
  const cutNotice = document.createElement("p");
  cutNotice.className = `${P}-cut`;
  cutNotice.setAttribute("role", "status");
  cutNotice.hidden = true;
  const checkLength = watchLength(input, cutNotice, (n) => S.cut(n));

  panel.append(header, log, typing, cutNotice, form);
  root.append(launcher, panel);
  document.body.appendChild(root);

  let history = [];
  let typingTimer = null;

  function saveHistory() {
    const id = conn.sessionId;
    if (!id) return;
    try {
      window.localStorage.setItem(historyKey(id), JSON.stringify(history.slice(-MAX_HISTORY)));
    } catch (e) { /* quota or private mode */ }
  }

  function loadHistory(id) {
    try {
      const raw = id && window.localStorage.getItem(historyKey(id));
      const arr = raw ? JSON.parse(raw) : [];
      return Array.isArray(arr) ? arr : [];
    } catch (e) {
      return [];
    }
  }

  function showItem(item) {
    reveal(log, log.appendChild(renderItem(item, { prefix: P, strings: S, onButton: sendButton })));
  }

  function add(item) {
    history.push(item);
    saveHistory();
    showItem(item);
  }

  function renderAll() {
    log.textContent = "";
    showItem({ from: "bot", text: S.welcome, local: true });
    history.forEach(showItem);
  }

  function setTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(() => { typing.hidden = true; }, 30000);
  }

  function sendText(text, display) {
    const t = String(text).trim();
    if (!t) return;
    add({ from: "user", text: display || t });
    setTyping(true);
    conn.send(t);
  }

  function sendButton(b, item) {
    if (item && item.kind === "feedback") saveHistory(); // keeps the choice
    sendText(b.payload, b.title);
  }

  const conn = new RasaSocket({
    serverUrl,
    socketPath: opts.socketPath || "/socket.io/",
    storageKey,
    metadata: { language: lang, channel: "web", language_chosen: !!chosen },
    onBotMessage(msg) {
      const n = normalize(msg);
      if (n.kind === "case") { cases.noteCase(n.caseNumber); return; }
      if (!n.text && !n.buttons.length && !n.links.length && !n.image) return;
      setTyping(false);
      add({ from: "bot", ...n });
    },
    onStatus(s) {
      status.textContent = S[s] || "";
      root.dataset.status = s;
    },
    onSession(id, prev) {
      if (prev) {
        // The server gave us a different session: show that one's history.
        history = loadHistory(id);
        renderAll();
      } else {
        saveHistory();
      }
      if (opts.initPayload && !history.length) conn.send(opts.initPayload);
    },
  });

  // Every visible string in the current language; the switch calls it again.
  function applyLang() {
    const title = titleFor(lang);
    root.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    launcherText.textContent = title;
    h.textContent = title;
    langBtn.textContent = S.langSwitch; // its name is its label, in the language it switches to
    langBtn.setAttribute("lang", lang === "zh" ? "en" : "zh-CN");
    newBtn.textContent = S.newChat;
    closeBtn.setAttribute("aria-label", S.close);
    typingText.textContent = S.typing;
    label.textContent = S.inputLabel;
    input.placeholder = S.placeholder;
    send.textContent = S.send;
    log.setAttribute("aria-label", S.log);
    status.textContent = S[root.dataset.status] || "";
    conn.metadata = { language: lang, channel: "web", language_chosen: !!chosen };
    if (!cutNotice.hidden) checkLength();
  }

  function useLang(l) {
    lang = pickLang(l);
    S = STRINGS[lang];
    applyLang();
    renderAll();
  }

  function setLang(l) {
    chosen = pickLang(l);
    try { window.localStorage.setItem(langKey, chosen); } catch (e) { /* private mode */ }
    useLang(chosen);
  }

  // A user who has not chosen a language with the switch and types a message clearly in the
  // other language gets the frame in that language; screen readers hear it from the status.
  function followTyping(text) {
    const l = clearLang(text);
    if (chosen || !l || l === lang) return;
    useLang(l);
    status.textContent = S.switched;
  }

  // Officers' answers to this session's cases, from the gateway that served this script.
  const cases = new CasePoller({
    gatewayUrl: opts.gatewayUrl,
    storage: conn.storage,
    getSessionId: () => conn.sessionId,
    intervalMs: opts.casePollMs || 20000,
    onAnswer(text) {
      add({ from: "bot", text, buttons: [], links: [], image: null, kind: "case-answer" });
    },
  });

  history = loadHistory(conn.sessionId);
  applyLang();
  renderAll();
  cases.start();

  function open() {
    panel.hidden = false;
    root.dataset.open = "true";
    launcher.setAttribute("aria-expanded", "true");
    launcher.hidden = true;
    conn.connect();
    input.focus();
    log.scrollTop = log.scrollHeight;
  }

  function close() {
    panel.hidden = true;
    root.dataset.open = "false";
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", open);
  langBtn.addEventListener("click", () => { setLang(lang === "zh" ? "en" : "zh"); langBtn.focus(); });
  closeBtn.addEventListener("click", close);
  newBtn.addEventListener("click", () => {
    const old = conn.sessionId;
    if (old) try { window.localStorage.removeItem(historyKey(old)); } catch (e) { /* ignore */ }
    history = [];
    renderAll();
    cases.stop();
    conn.reset();
    input.focus();
  });
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    followTyping(input.value); // before sending: the message goes with the new language
    sendText(input.value);
    input.value = "";
    input.focus();
  });

  if (openOnStart) open();
  else conn.connect();

  return {
    open,
    close,
    send: sendText,
    setLang,
    get lang() { return lang; },
    get sessionId() { return conn.sessionId; },
    get history() { return history.slice(); },
  };
}

function autoInit() {
  const script = document.currentScript ||
    document.querySelector("script[data-server-url][src*='widget']");
  const d = (script && script.dataset) || {};
  const start = () => {
    window.CreditAssistantWidget = init({
      serverUrl: d.serverUrl,
      lang: d.lang,
      title: d.title,
      socketPath: d.socketPath,
      open: d.open === "true",
      initPayload: d.initPayload,
      gatewayUrl: d.gatewayUrl || (script && script.src ? new URL(script.src, window.location.href).origin : ""),
      casePollMs: Number(d.casePollMs) || undefined,
    });
  };
  if (d.manual === "true") {
    window.CreditAssistantWidget = { init };
    return;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}

autoInit();
