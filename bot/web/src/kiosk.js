// Kiosk front-end: touch-first, large type, read-aloud replies, QR hand-off.
import { RasaSocket } from "./connection.js";
import { normalize, renderItem, reveal } from "./render.js";
import { clearLang, watchLength } from "./i18n.js";
import { CasePoller } from "./cases.js";

const K = {
  zh: {
    title: "海关信用培育智能助手",
    subtitle: "企业信用政策问答 · 信用自我评估 · 培育进度查询",
    policy: "政策问答", assess: "自我评估", progress: "我的进度",
    policyMsg: "/help", assessMsg: "/start_assessment", progressMsg: "/show_progress",
    placeholder: "请输入问题", send: "发送", mic: "语音输入", micStop: "停止录音",
    speechOn: "朗读：开", speechOff: "朗读：关", newChat: "新对话", lang: "English", switched: "已切换为中文",
    qr: "扫码在手机上继续本次对话", typing: "助手正在输入…",
    connecting: "正在连接…", connected: "已连接", reconnecting: "连接中断，正在重新连接…", offline: "无法连接服务器",
    welcome: "您好！请点击下方按钮，或直接输入您的问题。",
    ttsUnavailable: "语音播报不可用", asrNotConfigured: "语音输入未配置 / voice input not configured",
    recording: "正在录音…再次点击结束",
    speechUnavailable: "朗读功能未开启（本机未安装语音合成）",
    idleTitle: "还在使用吗？", idleText: (n) => `长时间无操作，为保护您的信息，将在 ${n} 秒后清空本次对话。`,
    idleStay: "继续使用", cut: (n) => `已达到${n}字上限，多出的文字没有输入。`,
    you: "您", bot: "助手", download: "下载", image: "图片", buttonsLabel: "可选操作", log: "对话记录",
  },
  en: {
    title: "Credit Cultivation Assistant",
    subtitle: "Credit policy Q&A · Self-assessment · Cultivation progress",
    policy: "Policy Q&A", assess: "Self-assessment", progress: "My progress",
    policyMsg: "/help", assessMsg: "/start_assessment", progressMsg: "/show_progress",
    placeholder: "Type your question", send: "Send", mic: "Voice input", micStop: "Stop recording",
    speechOn: "Read aloud: on", speechOff: "Read aloud: off", newChat: "New chat", lang: "中文",
    switched: "Switched to English",
    qr: "Scan to continue this conversation on your phone", typing: "The assistant is typing…",
    connecting: "Connecting…", connected: "Connected", reconnecting: "Connection lost, reconnecting…", offline: "Cannot reach the server",
    welcome: "Hello! Tap a button below or type your question.",
    ttsUnavailable: "Read-aloud is unavailable", asrNotConfigured: "语音输入未配置 / voice input not configured",
    recording: "Recording… tap again to finish",
    speechUnavailable: "Read-aloud is off (no speech synthesis installed on this kiosk)",
    idleTitle: "Still there?", idleText: (n) => `No activity for a while. To protect your information this conversation will be cleared in ${n} s.`,
    idleStay: "Keep using", cut: (n) => `The ${n}-character limit is reached; the rest was not entered.`,
    you: "You", bot: "Assistant", download: "Download", image: "Image", buttonsLabel: "Options", log: "Conversation",
  },
};

function readConfig() {
  const el = document.getElementById("kiosk-config");
  try { return JSON.parse(el ? el.textContent : "{}"); } catch (e) { return {}; }
}

const cfg = readConfig();
const kioskLang = cfg.lang === "en" ? "en" : "zh";
let lang = kioskLang;
let S = K[lang];
let chosen = false; // the visitor pressed the language switch: typing no longer changes the language
const $ = (id) => document.getElementById(id);
const log = $("k-log");
const status = $("k-status");
const typing = $("k-typing");
const notice = $("k-notice");
const input = $("k-input");
const micBtn = $("k-mic");
const speechBtn = $("k-speech");
const qrImg = $("k-qr");

const speechAvailable = cfg.speechAvailable !== false;
const speechLangs = Array.isArray(cfg.speechLangs) ? cfg.speechLangs : ["zh", "en"];
let speechOn = speechAvailable && cfg.speech !== false;
let history = [];
let idleTimer = null;
let warnTimer = null;
let countdown = null;
let dirty = false; // something a visitor did since the last reset
const idleMs = Math.max(10, Number(cfg.idleSeconds) || 120) * 1000;
// The warning shows for the last 20 s (less for a very short idle time).
const warnMs = Math.min(20000, Math.floor(idleMs / 3));
const idleBox = $("k-idle");

const serverUrl = (cfg.serverUrl || window.location.origin).replace(/\/+$/, "");
const conn = new RasaSocket({
  serverUrl,
  socketPath: cfg.socketPath || "/socket.io/",
  storageKey: `cca:kiosk-session:${serverUrl}`,
  metadata: { language: lang, channel: "kiosk" },
  onBotMessage(msg) {
    const n = normalize(msg);
    if (n.kind === "case") { cases.noteCase(n.caseNumber); return; }
    if (!n.text && !n.buttons.length && !n.links.length && !n.image) return;
    typing.hidden = true;
    add({ from: "bot", ...n });
    if (n.text) speak(n.text);
    if (dirty) bump(); // a reply keeps a visitor's session alive, but never starts the clock itself
  },
  onStatus(s) { status.textContent = S[s] || ""; document.body.dataset.status = s; },
  onSession(id) { updateQr(id); },
});

// Officers' answers to this kiosk session's cases (the gateway serves this page).
const cases = new CasePoller({
  gatewayUrl: window.location.origin,
  storage: conn.storage,
  getSessionId: () => conn.sessionId,
  intervalMs: Number(cfg.casePollMs) || 20000,
  onAnswer(text) {
    add({ from: "bot", text, buttons: [], links: [], image: null, kind: "case-answer" });
    speak(text);
  },
});

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

function applyStrings() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $("k-title").textContent = S.title;
  $("k-subtitle").textContent = S.subtitle;
  $("k-policy").textContent = S.policy;
  $("k-assess").textContent = S.assess;
  $("k-progress").textContent = S.progress;
  $("k-send").textContent = S.send;
  $("k-new").textContent = S.newChat;
  $("k-lang").textContent = S.lang;
  $("k-qr-caption").textContent = S.qr;
  $("k-input-label").textContent = S.placeholder;
  $("k-typing-text").textContent = S.typing;
  input.placeholder = S.placeholder;
  log.setAttribute("aria-label", S.log);
  micBtn.textContent = recorder ? S.micStop : S.mic;
  speechBtn.textContent = speechOn ? S.speechOn : S.speechOff;
  speechBtn.setAttribute("aria-pressed", String(speechOn));
  speechBtn.hidden = !speechAvailable;
  $("k-speech-off").hidden = speechAvailable;
  $("k-speech-off").textContent = S.speechUnavailable;
  $("k-idle-title").textContent = S.idleTitle;
  $("k-idle-stay").textContent = S.idleStay;
  conn.metadata = { language: lang, channel: "kiosk" };
}

function showItem(item) {
  reveal(log, log.appendChild(renderItem(item, { prefix: "cca", strings: S, onButton: (b) => sendText(b.payload, b.title) })));
}

function add(item) {
  history.push(item);
  showItem(item);
}

function renderAll() {
  log.textContent = "";
  showItem({ from: "bot", text: S.welcome });
  history.forEach(showItem);
}

function clearScreen() {
  history = [];
  renderAll();
}

function useLang(l) {
  lang = l;
  S = K[lang];
  applyStrings();
  status.textContent = S[document.body.dataset.status] || "";
  renderAll();
}

// A message typed clearly in the other language switches the kiosk to it, unless the visitor
// chose a language with the switch; the status (a polite live region) says so.
function followTyping(text) {
  const l = clearLang(text);
  if (chosen || !l || l === lang) return;
  useLang(l);
  status.textContent = S.switched;
}

function sendText(text, display) {
  const t = String(text || "").trim();
  if (!t) return;
  add({ from: "user", text: display || t });
  typing.hidden = false;
  conn.send(t);
  bump();
}

// ---- read aloud -------------------------------------------------------------
let audioQueue = Promise.resolve();
let currentAudio = null;
let ttsWarned = false;

// Long replies are read in chunks of a sentence or two: the first one plays while the server
// synthesises the next. A new session or "read-aloud off" drops what is still queued.
let speechGen = 0;

export function speechChunks(text, max = 120) {
  const parts = text.split(/(?<=[。！？!?；;\n])/).map((p) => p.trim()).filter(Boolean);
  const out = [];
  for (const p of parts) {
    const last = out.length - 1;
    if (last >= 0 && out[last].length + p.length <= max) out[last] += p;
    else for (let i = 0; i < p.length; i += max) out.push(p.slice(i, i + max));
  }
  return out;
}

function speak(text) {
  if (!speechOn) return;
  const spoken = text.replace(/https?:\/\/\S+/g, "").trim().slice(0, 800);
  if (!spoken) return;
  // The text's own language when it is clear; else (an English answer quoting a Chinese title)
  // the kiosk's language for a text with Chinese characters in it, English for one without.
  const textLang = clearLang(spoken) || (/[\u4e00-\u9fff]/.test(spoken) ? lang : "en");
  if (!speechLangs.includes(textLang)) return; // no voice for this language on this kiosk
  const gen = speechGen;
  speechChunks(spoken).forEach((chunk) => {
    const req = fetch("/api/tts", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: chunk, lang: textLang }),
    });
    audioQueue = audioQueue.then(async () => {
      let res;
      try { res = await req; } catch (e) { return; }
      if (!res.ok) {
        if (!ttsWarned) { ttsWarned = true; showNotice(S.ttsUnavailable); }
        return;
      }
      if (!speechOn || gen !== speechGen) return;
      const url = URL.createObjectURL(await res.blob());
      await new Promise((resolve) => {
        const a = new Audio(url);
        currentAudio = a;
        a.onended = a.onerror = () => { URL.revokeObjectURL(url); currentAudio = null; resolve(); };
        a.play().catch(() => resolve());
      });
    }).catch(() => {});
  });
}

function stopSpeech() {
  speechGen += 1;
  if (currentAudio) { currentAudio.pause(); currentAudio = null; }
}

// ---- voice input ------------------------------------------------------------
let recorder = null;

function encodeWav(samples, rate) {
  const buf = new ArrayBuffer(44 + samples.length * 2);
  const v = new DataView(buf);
  const w = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  w(0, "RIFF"); v.setUint32(4, 36 + samples.length * 2, true); w(8, "WAVE");
  w(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  w(36, "data"); v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buf], { type: "audio/wav" });
}

function downsample(chunks, from, to) {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Float32Array(total);
  let o = 0;
  chunks.forEach((c) => { all.set(c, o); o += c.length; });
  if (from === to) return all;
  const ratio = from / to;
  const out = new Float32Array(Math.floor(total / ratio));
  for (let i = 0; i < out.length; i++) out[i] = all[Math.floor(i * ratio)];
  return out;
}

async function postAudio(blob) {
  let res;
  try {
    res = await fetch("/api/asr", { method: "POST", headers: { "Content-Type": "audio/wav" }, body: blob });
  } catch (e) { showNotice(S.offline); return; }
  let body = {};
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) { showNotice(body.message || S.asrNotConfigured); return; }
  showNotice("");
  if (body.text) sendText(body.text);
}

async function toggleMic() {
  bump();
  if (recorder) {
    const r = recorder;
    recorder = null;
    applyStrings();
    r.stop();
    return;
  }
  if (cfg.asrAvailable === false) { showNotice(cfg.asrMessage || S.asrNotConfigured); return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    // No microphone API (insecure origin or no device): let the server answer.
    await postAudio(encodeWav(new Float32Array(1600), 16000));
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const src = ctx.createMediaStreamSource(stream);
    const proc = ctx.createScriptProcessor(4096, 1, 1);
    const chunks = [];
    proc.onaudioprocess = (e) => chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
    src.connect(proc);
    proc.connect(ctx.destination);
    recorder = {
      stop() {
        proc.disconnect(); src.disconnect();
        stream.getTracks().forEach((t) => t.stop());
        const rate = ctx.sampleRate;
        ctx.close();
        postAudio(encodeWav(downsample(chunks, rate, 16000), 16000));
      },
    };
    showNotice(S.recording);
    applyStrings();
    setTimeout(() => { if (recorder) toggleMic(); }, 15000);
  } catch (e) {
    showNotice(S.asrNotConfigured);
  }
}

// ---- QR hand-off and idle timeout ---------------------------------------------
function updateQr(id) {
  if (!id) { qrImg.removeAttribute("src"); return; }
  qrImg.src = "/api/qr?session=" + encodeURIComponent(id);
}

// Any interaction re-arms the idle timer. Before the reset a warning counts down with a big
// "keep using" button; the reset clears the screen silently (the next visitor sees the welcome,
// not a message about someone else's session), and an untouched kiosk is not reset again.
function bump() {
  dirty = true;
  hideIdleWarning();
  clearTimeout(idleTimer);
  clearTimeout(warnTimer);
  warnTimer = setTimeout(showIdleWarning, idleMs - warnMs);
  idleTimer = setTimeout(onIdle, idleMs);
}

function showIdleWarning() {
  if (!dirty) return;
  let left = Math.round(warnMs / 1000);
  const text = $("k-idle-text");
  text.textContent = S.idleText(left);
  idleBox.hidden = false;
  $("k-idle-stay").focus();
  speak(S.idleTitle + S.idleText(left)); // heard as well as seen
  clearInterval(countdown);
  countdown = setInterval(() => {
    left = Math.max(0, left - 1);
    text.textContent = S.idleText(left);
  }, 1000);
}

function hideIdleWarning() {
  clearInterval(countdown);
  countdown = null;
  idleBox.hidden = true;
}

function onIdle() {
  hideIdleWarning();
  if (!dirty) return;
  stopSpeech();
  if (recorder) { const r = recorder; recorder = null; try { r.stop(); } catch (e) { /* ignore */ } }
  // The next visitor starts in the kiosk's own language, free to type in either.
  chosen = false;
  history = [];
  useLang(kioskLang);
  input.value = "";
  showNotice("");
  cutNotice.hidden = true;
  updateQr(null);
  cases.stop();
  conn.reset();
  dirty = false;
}

// ---- wiring -----------------------------------------------------------------
$("k-policy").addEventListener("click", () => sendText(S.policyMsg, S.policy));
$("k-assess").addEventListener("click", () => sendText(S.assessMsg, S.assess));
$("k-progress").addEventListener("click", () => sendText(S.progressMsg, S.progress));
$("k-form").addEventListener("submit", (e) => { e.preventDefault(); followTyping(input.value); sendText(input.value); input.value = ""; });
micBtn.addEventListener("click", toggleMic);
speechBtn.addEventListener("click", () => { speechOn = !speechOn; if (!speechOn) stopSpeech(); applyStrings(); bump(); });
$("k-new").addEventListener("click", () => { stopSpeech(); clearScreen(); conn.reset(); bump(); });
$("k-lang").addEventListener("click", () => { chosen = true; useLang(lang === "zh" ? "en" : "zh"); bump(); });
["pointerdown", "keydown", "touchstart"].forEach((ev) => document.addEventListener(ev, bump, { passive: true }));
$("k-idle-stay").addEventListener("click", () => { bump(); input.focus(); });
const cutNotice = document.createElement("p");
cutNotice.id = "k-cut";
cutNotice.setAttribute("role", "status");
cutNotice.hidden = true;
cutNotice.style.cssText = "margin:6px 28px 0;font-size:22px;color:#4d3600";
$("k-form").before(cutNotice);
watchLength(input, cutNotice, (n) => S.cut(n));

applyStrings();
clearScreen();
if (cfg.asrAvailable === false) micBtn.title = cfg.asrMessage || S.asrNotConfigured;
conn.connect();
if (conn.sessionId) updateQr(conn.sessionId);
cases.start();
window.CreditAssistantKiosk = {
  get sessionId() { return conn.sessionId; },
  get speechOn() { return speechOn; },
  idleMs,
  warnMs,
  send: sendText,
};
