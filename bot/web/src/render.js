// Turns Rasa bot messages into DOM nodes. Message text is only ever assigned
// through textContent / createTextNode: never innerHTML.

const ANSWER_PREFIX = "/answer_item";
const URL_RE = /(https?:\/\/[^\s<>"'，。；）)]+)/g;

export function safeUrl(raw) {
  if (typeof raw !== "string" || !raw) return null;
  try {
    const u = new URL(raw, window.location.href);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch (e) { /* not a URL */ }
  return null;
}

function asButtons(list) {
  if (!Array.isArray(list)) return [];
  return list
    .filter((b) => b && (b.title || b.payload))
    .map((b) => ({ title: String(b.title || b.payload), payload: String(b.payload || b.title) }));
}

/** Normalise a socket.io / REST bot message into {text, buttons, links, image, kind, caseNumber}. */
export function normalize(msg) {
  const out = { text: "", buttons: [], links: [], image: null };
  if (!msg || typeof msg !== "object") {
    if (typeof msg === "string") out.text = msg;
    return out;
  }
  const inner = (msg.custom && (msg.custom.data || msg.custom)) || msg.data || msg;
  if (inner && inner.type === "feedback") out.kind = "feedback";
  if (inner && inner.type === "case" && typeof inner.number === "string") {
    out.kind = "case";
    out.caseNumber = inner.number;
    return out; // nothing to show: the text before it said everything
  }
  if (typeof msg.text === "string") out.text = msg.text;
  out.buttons = asButtons(msg.quick_replies).concat(asButtons(msg.buttons));
  if (typeof msg.image === "string") out.image = msg.image;
  const att = msg.attachment;
  if (att && typeof att === "object") {
    if (att.type === "image" && att.payload) out.image = att.payload.src || att.payload.url || null;
    else if (att.type === "link" || att.type === "file") collectCustom(att.payload || att, out);
  }
  // custom JSON: as the message itself, under `custom`, or under `data`
  // (Rasa's socketio send_custom_json emits json_message["data"]).
  [msg, msg.custom, msg.custom && msg.custom.data, msg.data].forEach((c) => collectCustom(c, out));
  return out;
}

function collectCustom(c, out) {
  if (!c || typeof c !== "object") return;
  const type = c.type;
  if ((type === "link" || type === "report" || type === "download" || type === "file") && (c.url || c.href)) {
    const url = c.url || c.href;
    if (!out.links.some((l) => l.url === url)) {
      out.links.push({ url, title: String(c.title || c.name || url), download: type !== "link" || !!c.download });
    }
  }
  if (typeof c.text === "string" && !out.text && c !== out) out.text = c.text;
  if (Array.isArray(c.buttons) && !out.buttons.length && c.type) out.buttons = asButtons(c.buttons);
}

/** Append text to `el`, turning bare http(s) URLs into safe links. */
export function appendText(el, text) {
  const lines = String(text).split("\n");
  lines.forEach((line, i) => {
    if (i > 0) el.appendChild(document.createElement("br"));
    let last = 0;
    line.replace(URL_RE, (m, _g, idx) => {
      if (idx > last) el.appendChild(document.createTextNode(line.slice(last, idx)));
      const href = safeUrl(m);
      if (href) {
        const a = document.createElement("a");
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.textContent = m;
        el.appendChild(a);
      } else {
        el.appendChild(document.createTextNode(m));
      }
      last = idx + m.length;
      return m;
    });
    if (last < line.length) el.appendChild(document.createTextNode(line.slice(last)));
  });
}

/**
 * Build the DOM for one message.
 * item: {from: "user"|"bot", text, buttons, links, image}
 */
export function renderItem(item, { prefix, strings, onButton }) {
  const wrap = document.createElement("div");
  wrap.className = `${prefix}-msg ${prefix}-msg-${item.from}` + (item.kind ? ` ${prefix}-msg-${item.kind}` : "");
  const who = document.createElement("span");
  who.className = `${prefix}-sr`;
  who.textContent = (item.from === "user" ? strings.you : strings.bot) + ": ";
  wrap.appendChild(who);
  if (item.text) {
    const bubble = document.createElement("div");
    bubble.className = `${prefix}-bubble`;
    appendText(bubble, item.text);
    if (/^\s*(来源|出处|依据|Source|Sources|Reference)\s*[:：]/im.test(item.text)) {
      bubble.classList.add(`${prefix}-has-source`);
    }
    wrap.appendChild(bubble);
  }
  if (item.image) {
    const src = safeUrl(item.image);
    if (src) {
      const img = document.createElement("img");
      img.className = `${prefix}-image`;
      img.src = src;
      img.alt = strings.image;
      img.loading = "lazy";
      wrap.appendChild(img);
    }
  }
  (item.links || []).forEach((l) => {
    const href = safeUrl(l.url);
    if (!href) return;
    const a = document.createElement("a");
    a.className = `${prefix}-link` + (l.download ? ` ${prefix}-download` : "");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (l.download) a.setAttribute("download", "");
    a.textContent = (l.download ? "⬇ " + strings.download + ": " : "🔗 ") + l.title;
    wrap.appendChild(a);
  });
  if (item.buttons && item.buttons.length) {
    const group = document.createElement("div");
    group.className = `${prefix}-buttons`;
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", strings.buttonsLabel);
    if (item.kind === "feedback") group.setAttribute("aria-label", item.text || strings.buttonsLabel);
    item.buttons.forEach((b) => {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = `${prefix}-btn-reply`;
      // Answer buttons carry their item (/answer_item{...}); they look different from
      // navigation, and once one is pressed the question's answer buttons are disabled.
      const answer = b.payload.startsWith(ANSWER_PREFIX);
      btn.dataset.kind = answer ? "answer" : "nav";
      btn.textContent = b.title;
      // Feedback is given once: the choice is kept and the buttons are disabled.
      if (item.kind === "feedback" && item.chosen) {
        btn.disabled = true;
        if (item.chosen === b.payload) btn.setAttribute("aria-pressed", "true");
      }
      btn.addEventListener("click", () => {
        if (answer) {
          if (btn.disabled) return;
          group.querySelectorAll('[data-kind="answer"]').forEach((x) => { x.disabled = true; });
          btn.setAttribute("aria-pressed", "true");
        }
        if (item.kind === "feedback") {
          item.chosen = b.payload;
          group.querySelectorAll("button").forEach((x) => { x.disabled = true; });
          btn.setAttribute("aria-pressed", "true");
        }
        onButton(b, item);
      });
      group.appendChild(btn);
    });
    wrap.appendChild(group);
  }
  return wrap;
}

// A reply is read from its first line: the log follows new messages to the bottom until the
// first bubble of the newest reply would scroll out of view; a longer reply stays at its start
// (the user scrolls on to its citation), not at its last line.
export function reveal(log, el) {
  let first = el;
  if (el.classList.contains("cca-msg-bot")) {
    while (first.previousElementSibling && first.previousElementSibling.classList.contains("cca-msg-bot")) {
      first = first.previousElementSibling;
    }
  }
  const bottom = log.scrollHeight - log.clientHeight;
  const top = first.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop - 8;
  log.scrollTop = Math.max(0, Math.min(bottom, top));
}
