// Checklist view of a self-assessment (served by bot/gateway/checklist.py; no build step).
// Every text from the server is set with textContent, never innerHTML.
(function () {
  "use strict";
  const lang = document.documentElement.lang === "en" ? "en" : "zh";
  const S = {
    zh: {
      title: "自我评估清单", login: "登录", logout: "退出", code: "统一社会信用代码", key: "访问码",
      loginHelp: "请输入企业的统一社会信用代码和访问码（首次自我评估时生成）。",
      badLogin: "统一社会信用代码或访问码不正确。", assessment: "评估", filters: "筛选",
      dimension: "维度", status: "状态", all: "全部", unanswered: "未回答", resultH: "结果和报告",
      resultBtn: "计算结果并生成PDF报告", start: "开始完整评估", startBtn: "开始", none: "该企业还没有评估。",
      item: (n) => `第${n}项`, official: "标准原文", answers: (a, t) => `已答 ${a}/${t} 项`,
      shown: (n, t) => `显示 ${n}/${t} 项`, saved: (n, v) => `第${n}项已保存：${v}`,
      reasonLabel: (n) => `第${n}项不适用的理由`, reasonSave: "保存理由", reason: "理由：",
      noReason: "（未说明理由）", readOnly: "这次评估已完成，只能查看。", total: "总分",
      passed: "达到通过条件", failed: "未达到通过条件", pdf: "下载PDF报告", error: "出错了：",
      scope: (i, t) => `评估范围：${i}/${t}项`, choicesLabel: (n) => `第${n}项的回答`,
      statusNone: "未回答", langLink: "English", langHref: "?lang=en", langAttr: "en", summary: (n, c, s) => `${n}（${c}） · ${s}`,
    },
    en: {
      title: "Self-assessment checklist", login: "Log in", logout: "Log out", code: "Unified social credit code",
      key: "Access key", loginHelp: "Enter the enterprise's unified social credit code and access key (issued at its first self-assessment).",
      badLogin: "The credit code or access key is not correct.", assessment: "Assessment", filters: "Filter",
      dimension: "Dimension", status: "Status", all: "All", unanswered: "Unanswered", resultH: "Result and report",
      resultBtn: "Score and create the PDF report", start: "Start a full assessment", startBtn: "Start", none: "This enterprise has no assessment yet.",
      item: (n) => `Item ${n}`, official: "Full text (our unofficial translation; the Chinese original prevails)",
      original: "Chinese original:", answers: (a, t) => `${a}/${t} answered`,
      shown: (n, t) => `Showing ${n} of ${t}`, saved: (n, v) => `Item ${n} saved: ${v}`,
      reasonLabel: (n) => `Why item ${n} does not apply`, reasonSave: "Save reason", reason: "Reason: ",
      noReason: "(no reason given)", readOnly: "This assessment is complete and read-only.", total: "Total",
      passed: "meets the pass conditions", failed: "does not meet the pass conditions", pdf: "Download the PDF report", error: "Error: ",
      scope: (i, t) => `Scope: ${i}/${t} items`, choicesLabel: (n) => `Answer to item ${n}`,
      statusNone: "unanswered", langLink: "中文", langHref: "?lang=zh", langAttr: "zh", summary: (n, c, s) => `${n} (${c}) · ${s}`,
    },
  }[lang];
  const VERDICT_EN = { "达标": "Meets", "基本达标": "Partly", "不达标": "Does not meet", "不适用": "N/A", "符合": "Meets" };
  const shownVerdict = (v) => (lang === "en" ? VERDICT_EN[v] || v : v);
  const $ = (id) => document.getElementById(id);
  let data = null;

  function text(id, value) { $(id).textContent = value; }
  function announce(msg) { $("announce").textContent = ""; setTimeout(() => { $("announce").textContent = msg; }, 30); }

  async function api(path, body) {
    const opts = body === undefined ? { credentials: "same-origin" } : {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    const res = await fetch(path, opts);
    let payload = null;
    try { payload = await res.json(); } catch (e) { payload = { error: res.statusText }; }
    if (!res.ok) { const err = new Error(payload.error || res.statusText); err.status = res.status; throw err; }
    return payload;
  }

  function staticTexts() {
    document.title = S.title;
    text("title", S.title); text("login-h", S.login); text("login-help", S.loginHelp); text("code-label", S.code);
    text("key-label", S.key); text("login-btn", S.login); text("logout", S.logout); text("summary-h", S.assessment);
    text("filter-h", S.filters); text("f-dim-label", S.dimension); text("f-status-label", S.status);
    text("result-h", S.resultH); text("result-btn", S.resultBtn); text("start-label", S.start); text("start-btn", S.startBtn);
    text("items-h", S.title);
    const link = $("lang-link");
    link.textContent = S.langLink; link.href = S.langHref; link.lang = S.langAttr;
    $("topnav").setAttribute("aria-label", lang === "en" ? "Page navigation" : "页面导航");
  }

  function option(select, value, label) {
    const o = document.createElement("option");
    o.value = value; o.textContent = label; select.appendChild(o);
  }

  function fillFilters() {
    const dim = $("f-dim"), st = $("f-status");
    const keepDim = dim.value, keepSt = st.value;
    dim.textContent = ""; st.textContent = "";
    option(dim, "", S.all);
    const seen = [];
    data.items.forEach((it) => { if (!seen.includes(it.dimension)) { seen.push(it.dimension); option(dim, it.dimension, lang === "en" ? it.dimension_en : it.dimension); } });
    option(st, "", S.all); option(st, "none", S.unanswered);
    ["达标", "基本达标", "不达标", "不适用", "符合"].forEach((v) => option(st, v, shownVerdict(v)));
    dim.value = keepDim; st.value = keepSt;
  }

  function statusLine(it) {
    if (!it.verdict) return S.statusNone;
    let s = shownVerdict(it.verdict);
    const clause = lang === "en" ? it.not_applicable_clause_en : it.not_applicable_clause;
    if (it.verdict === "不适用" && !it.additional) s += " · " + S.reason + (it.reason || (clause || S.noReason));
    return s;
  }

  function renderItem(it, readOnly) {
    const li = document.createElement("li");
    li.className = "item"; li.id = "item-" + it.number; li.dataset.number = it.number;
    li.dataset.status = it.verdict || "none"; li.dataset.dimension = it.dimension;
    const h = document.createElement("h3");
    h.id = "item-h-" + it.number;
    h.textContent = `${S.item(it.number)} · ${lang === "en" ? it.label_en : it.label}`;
    li.appendChild(h);
    const dim = document.createElement("div");
    dim.className = "dim"; dim.textContent = lang === "en" ? it.dimension_en : it.dimension;
    li.appendChild(dim);
    const plain = document.createElement("p");
    plain.className = "plain"; plain.textContent = it.plain[lang];
    li.appendChild(plain);
    const det = document.createElement("details");
    const sum = document.createElement("summary"); sum.textContent = S.official;
    det.appendChild(sum);
    if (lang === "en") {
      const tr = document.createElement("p"); tr.className = "official-en"; tr.textContent = it.requirement_en;
      const orig = document.createElement("p"); orig.className = "original-h"; orig.textContent = S.original;
      det.appendChild(tr); det.appendChild(orig);
    }
    const off = document.createElement("p"); off.textContent = it.requirement; off.lang = "zh";
    det.appendChild(off); li.appendChild(det);
    const status = document.createElement("p");
    status.className = "status"; status.id = "item-s-" + it.number; status.textContent = statusLine(it);
    li.appendChild(status);
    if (readOnly) return li;
    const group = document.createElement("fieldset");
    group.className = "choices";
    const legend = document.createElement("legend"); legend.textContent = S.choicesLabel(it.number);
    group.appendChild(legend);
    it.choices.forEach((v) => {
      const b = document.createElement("button");
      b.type = "button"; b.className = "choice"; b.dataset.verdict = v;
      b.textContent = shownVerdict(v);
      b.setAttribute("aria-pressed", String(it.verdict === v));
      b.setAttribute("aria-describedby", "item-h-" + it.number);
      b.addEventListener("click", () => choose(it, v));
      group.appendChild(b);
    });
    li.appendChild(group);
    if (it.reason_needed) {
      const box = document.createElement("div");
      box.className = "reason"; box.hidden = it.verdict !== "不适用";
      const id = "reason-" + it.number;
      const wrap = document.createElement("div");
      const label = document.createElement("label"); label.htmlFor = id; label.textContent = S.reasonLabel(it.number);
      const input = document.createElement("input"); input.id = id; input.maxLength = 300; input.value = it.reason || "";
      wrap.appendChild(label); wrap.appendChild(input);
      const save = document.createElement("button");
      save.type = "button"; save.className = "primary"; save.textContent = S.reasonSave;
      save.addEventListener("click", () => choose(it, "不适用", input.value));
      box.appendChild(wrap); box.appendChild(save);
      li.appendChild(box);
    }
    return li;
  }

  function applyFilters() {
    const dim = $("f-dim").value, st = $("f-status").value;
    let n = 0;
    document.querySelectorAll("#items li.item").forEach((li) => {
      const show = (!dim || li.dataset.dimension === dim) && (!st || li.dataset.status === st);
      li.hidden = !show; if (show) n += 1;
    });
    text("shown", S.shown(n, data.items.length));
  }

  function renderAll() {
    const a = data.assessment;
    $("start-box").hidden = !!(a && !a.read_only);
    const sel = $("start-standard"); sel.textContent = "";
    Object.entries(data.standards).forEach(([k, v]) => option(sel, k, v[lang]));
    const name = data.enterprise.name || "—";
    if (!a) {
      text("summary", `${name}（${data.enterprise.code}） · ${S.none}`);
      text("progress", ""); $("items").textContent = ""; $("filter-card").hidden = true;
      return;
    }
    $("filter-card").hidden = false;
    text("summary", S.summary(name, data.enterprise.code, a.standard_name[lang]) + (a.read_only ? " · " + S.readOnly : ""));
    text("progress", S.answers(a.answered, a.total));
    const list = $("items"); list.textContent = "";
    data.items.forEach((it) => list.appendChild(renderItem(it, a.read_only)));
    fillFilters(); applyFilters();
  }

  async function choose(it, verdict, reason) {
    const li = $("item-" + it.number);
    const body = { item: it.number, verdict };
    if (reason !== undefined) body.reason = reason;
    try {
      const r = await api("/api/assessment/answer", body);
      const fresh = r.item;
      Object.assign(it, fresh);
      li.dataset.status = it.verdict || "none";
      li.querySelectorAll(".choice").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.verdict === it.verdict)));
      const box = li.querySelector(".reason");
      if (box) { box.hidden = it.verdict !== "不适用"; if (!box.hidden && reason === undefined) box.querySelector("input").focus(); }
      text("item-s-" + it.number, statusLine(it));
      data.assessment.answered = r.answered;
      text("progress", S.answers(r.answered, r.total));
      announce(S.saved(it.number, shownVerdict(it.verdict)));
    } catch (e) {
      announce(S.error + e.message);
      text("item-s-" + it.number, S.error + e.message);
    }
  }

  async function load() {
    try {
      data = await api("/api/assessment/state");
    } catch (e) {
      if (e.status === 401) { $("login-card").hidden = false; $("app").hidden = true; $("logout").hidden = true; return; }
      throw e;
    }
    $("login-card").hidden = true; $("app").hidden = false; $("logout").hidden = false;
    renderAll();
  }

  $("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    text("login-error", "");
    try {
      await api("/api/assessment/login", { code: $("code").value.trim().toUpperCase(), key: $("key").value.trim() });
      $("key").value = "";
      await load();
      $("summary-h").setAttribute("tabindex", "-1"); $("summary-h").focus();
    } catch (e) {
      text("login-error", e.status === 401 || e.status === 400 ? S.badLogin : S.error + e.message);
    }
  });
  $("logout").addEventListener("click", async () => { await api("/api/assessment/logout", {}); await load(); });
  $("f-dim").addEventListener("change", applyFilters);
  $("f-status").addEventListener("change", applyFilters);
  $("start-btn").addEventListener("click", async () => {
    data = await api("/api/assessment/start", { standard: $("start-standard").value });
    renderAll();
  });
  $("result-btn").addEventListener("click", async () => {
    const out = $("result"); out.textContent = "";
    try {
      const r = await api("/api/assessment/result", { lang });
      const p1 = document.createElement("p");
      p1.id = "result-total";
      p1.textContent = `${S.total}: ${r.total} · ${r.passed ? S.passed : S.failed}`;
      out.appendChild(p1);
      if (r.scope && r.scope.partial) {
        const ps = document.createElement("p"); ps.textContent = S.scope(r.scope.n, r.scope.total); out.appendChild(ps);
      }
      const ul = document.createElement("ul");
      (r.failed_conditions || []).forEach((f) => { const li = document.createElement("li"); li.textContent = f.message[lang]; ul.appendChild(li); });
      (r.notes || []).forEach((n) => { const li = document.createElement("li"); li.textContent = n[lang]; ul.appendChild(li); });
      out.appendChild(ul);
      const a = document.createElement("a");
      a.href = r.report_url; a.textContent = S.pdf; a.id = "report-link"; a.target = "_blank"; a.rel = "noopener";
      out.appendChild(a);
    } catch (e) {
      out.textContent = S.error + e.message;
    }
  });

  staticTexts();
  load().catch((e) => { text("login-error", S.error + e.message); });
})();
