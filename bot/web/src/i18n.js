// UI strings for the widget and the kiosk (Chinese first, English second).
export const STRINGS = {
  zh: {
    title: "海关信用培育智能助手",
    open: "打开信用培育助手对话",
    close: "关闭对话窗口",
    log: "对话记录",
    inputLabel: "输入您的问题",
    placeholder: "请输入问题，按回车发送",
    send: "发送",
    typing: "助手正在输入…",
    connecting: "正在连接…",
    connected: "已连接",
    reconnecting: "连接中断，正在重新连接…",
    offline: "无法连接服务器，请稍后再试",
    welcome: "您好！我是海关信用培育智能助手，可以解答企业信用政策问题、帮助您进行信用自我评估。",
    you: "您",
    bot: "助手",
    download: "下载",
    link: "链接",
    buttonsLabel: "可选操作",
    image: "图片",
    newChat: "新对话",
    langSwitch: "English",
    switched: "已切换为中文",
    cut: (n) => `已达到${n}字上限，多出的文字没有输入。`,
  },
  en: {
    title: "Credit Cultivation Assistant",
    open: "Open the credit assistant chat",
    close: "Close the chat window",
    log: "Conversation",
    inputLabel: "Type your question",
    placeholder: "Type a question and press Enter",
    send: "Send",
    typing: "The assistant is typing…",
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Connection lost, reconnecting…",
    offline: "Cannot reach the server, please try again later",
    welcome: "Hello! I am the Customs Credit Cultivation Assistant. Ask me about enterprise credit policy or start a self-assessment.",
    you: "You",
    bot: "Assistant",
    download: "Download",
    link: "Link",
    buttonsLabel: "Options",
    image: "Image",
    newChat: "New chat",
    langSwitch: "中文",
    switched: "Switched to English",
    cut: (n) => `The ${n}-character limit is reached; the rest was not entered.`,
  },
};

/** Shows `notice` when `input` reaches its maxLength (typing or pasting past it cuts the text). */
export function watchLength(input, notice, message) {
  const check = () => {
    const max = input.maxLength;
    const full = max > 0 && input.value.length >= max;
    notice.hidden = !full;
    notice.textContent = full ? message(max) : "";
  };
  input.addEventListener("input", check);
  input.addEventListener("paste", (e) => {
    const max = input.maxLength;
    const pasted = (e.clipboardData && e.clipboardData.getData("text")) || "";
    const room = max - input.value.length + (input.selectionEnd - input.selectionStart);
    if (max > 0 && pasted.length > room) setTimeout(() => { notice.hidden = false; notice.textContent = message(max); });
  });
  return check;
}

export function pickLang(lang) {
  const l = String(lang || "").toLowerCase();
  if (l.startsWith("en")) return "en";
  return "zh";
}

const CJK_RE = /[\u3400-\u9fff\uf900-\ufaff]/g;
// An English word has a small letter and no digit next to it (core/text.py's rule):
// a credit code, an access key or "AEO" is not one.
const WORD_RE = /(?<![A-Za-z0-9])[A-Za-z]*[a-z][A-Za-z]*(?:['’][a-z]+)?(?![A-Za-z0-9])/g;

/** The language a text is clearly written in: "en" for two English words or more, mostly
 * letters and no Chinese; "zh" for four Chinese characters or more (a phrase, not an answer
 * like 达标), outnumbering any English words; null for anything else (one word, digits, a
 * code, a button payload). */
export function clearLang(text) {
  const t = String(text || "").trim();
  if (t.startsWith("/")) return null;
  const cjk = (t.match(CJK_RE) || []).length;
  const words = t.match(WORD_RE) || [];
  if (cjk >= 4 && cjk > words.length) return "zh";
  const letters = words.join("").length;
  if (!cjk && words.length >= 2 && letters * 2 >= t.replace(/\s/g, "").length) return "en";
  return null;
}
