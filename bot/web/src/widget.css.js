// Widget styles (scoped with the cca- prefix). Colours meet WCAG AA contrast.
export default `
.cca-root{--cca-blue:#0a3d7a;--cca-blue-dark:#062b57;--cca-bg:#ffffff;--cca-text:#1a1a1a;--cca-muted:#4a4a4a;
  position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.5 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;color:var(--cca-text)}
.cca-root *{box-sizing:border-box}
.cca-sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.cca-launcher{background:var(--cca-blue);color:#fff;border:0;border-radius:28px;padding:14px 22px;font-size:16px;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.cca-launcher{display:inline-flex;align-items:center;gap:8px;min-height:48px}
.cca-launcher[hidden]{display:none}
/* "Connected" is said to screen readers but takes no room; problems (reconnecting, offline) show. */
.cca-root[data-status="connected"] .cca-status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap}
.cca-launcher:hover{background:var(--cca-blue-dark)}
.cca-root button:focus-visible,.cca-root a:focus-visible,.cca-root input:focus-visible,.cca-log:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.cca-panel{width:min(400px,calc(100vw - 24px));height:min(620px,calc(100vh - 40px));background:var(--cca-bg);border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}
.cca-panel[hidden]{display:none}
.cca-header{display:flex;align-items:center;gap:8px;background:var(--cca-blue);color:#fff;padding:10px 12px}
.cca-header h2{font-size:16px;margin:0;flex:1}
.cca-status{font-size:12px;color:#dfe9f5}
.cca-close,.cca-new,.cca-lang{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:6px;cursor:pointer;min-width:44px;min-height:44px;padding:0 8px;font-size:14px}
.cca-close{font-size:20px;line-height:1}
.cca-log{flex:1;overflow-y:auto;padding:12px;background:#f3f6fa}
.cca-msg{display:flex;flex-direction:column;margin:6px 0;max-width:88%}
.cca-msg-user{margin-left:auto;align-items:flex-end}
.cca-msg-bot{align-items:flex-start}
.cca-bubble{padding:8px 12px;border-radius:10px;white-space:normal;word-break:break-word}
.cca-msg-user .cca-bubble{background:var(--cca-blue);color:#fff}
.cca-msg-user .cca-bubble a{color:#fff}
.cca-msg-bot .cca-bubble{background:#fff;border:1px solid #c9d3df;color:var(--cca-text)}
.cca-bubble a,.cca-link{color:#0b4fa3;text-decoration:underline}
.cca-link{display:inline-block;margin-top:6px;padding:6px 10px;min-height:44px;line-height:30px;background:#fff;border:1px solid #0b4fa3;border-radius:6px}
.cca-image{max-width:100%;border-radius:8px;margin-top:6px}
.cca-buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.cca-btn-reply{background:#fff;color:var(--cca-blue);border:1.5px solid var(--cca-blue);border-radius:22px;padding:6px 14px;font-size:15px;cursor:pointer;min-height:44px}
.cca-btn-reply:hover{background:#e6eef8}
.cca-btn-reply[data-kind=answer]{background:var(--cca-blue);color:#fff;font-weight:600}
.cca-btn-reply[data-kind=answer]:hover{background:var(--cca-blue-dark)}
.cca-btn-reply:disabled{opacity:.55;cursor:default}
.cca-btn-reply[aria-pressed=true]{outline:3px solid #f5a623;opacity:1}
.cca-msg-feedback{margin-top:0}.cca-msg-feedback .cca-bubble{background:transparent!important;border:0!important;padding:2px 0;font-size:13px;color:var(--cca-muted)}
.cca-msg-feedback .cca-buttons{margin-top:2px}.cca-msg-feedback .cca-btn-reply{font-size:14px}
.cca-typing{padding:4px 14px;color:var(--cca-muted);font-size:13px;background:#f3f6fa}
.cca-typing[hidden]{display:none}
.cca-dots{animation:cca-blink 1.2s infinite}
@keyframes cca-blink{50%{opacity:.35}}
@media (prefers-reduced-motion:reduce){.cca-dots{animation:none}}
.cca-form{display:flex;gap:8px;padding:10px;border-top:1px solid #d5dce5;background:#fff}
.cca-input{flex:1;min-width:0;border:1.5px solid #7a8796;border-radius:8px;padding:10px 12px;font-size:16px;min-height:44px;color:var(--cca-text)}
.cca-send{background:var(--cca-blue);color:#fff;border:0;border-radius:8px;padding:0 18px;font-size:16px;min-height:44px;min-width:64px;cursor:pointer}
.cca-cut{margin:0;padding:6px 12px;background:#fff4d6;color:#4d3600;border-top:1px solid #8a6100;font-size:14px}
.cca-cut[hidden]{display:none}
/* Phones: the open chat fills the screen (no 620 px card), respecting the notch and the keyboard. */
@media (max-width:600px),(max-height:500px){
  .cca-root{right:12px;bottom:12px}
  .cca-root[data-open="true"]{inset:0}
  .cca-panel{position:fixed;inset:0;width:100vw;height:100vh;height:100dvh;border-radius:0;box-shadow:none;
    padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}
  .cca-header h2{font-size:15px}
  .cca-msg{max-width:94%}
}
`;
