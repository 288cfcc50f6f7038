"""PDF report: every element a manager needs is in the text, the CJK font is embedded and has
every glyph used, pages say "第 x 页 / 共 y 页", and the pages render (pdftoppm → PNG in
test-artifacts/, for a person to look at)."""

import datetime as dt
import io
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from core.assessment import report as report_pdf
from core.standards import catalogue as std_mod
from core.standards import scoring
from core.standards.guidance import GuidanceError

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "report"
WHEN = dt.datetime(2026, 11, 29, 10, 30)
ENT = {"name": "上海示例进出口有限公司", "code": "91350100M000100Y43"}
NA_REASON = "本企业不从事关务水平评估所涉业务，原因已书面说明"
PLAN = {
    "tasks": [
        {
            "item_ref": "advanced:13",
            "title": {"zh": "改善偿债能力指标", "en": "Improve solvency ratios"},
            "owner_department": "财务部",
            "due_date": "2027-01-29",
            "status": "open",
            "overdue": False,
        },
        {
            "item_ref": "advanced:5",
            "title": {"zh": "建立单证复核流程", "en": "Set up document review"},
            "owner_department": "关务部",
            "due_date": "2027-02-28",
            "status": "done",
            "overdue": False,
        },
    ]
}


@pytest.fixture
def result():
    a = {i: "达标" for i in range(1, 69)}
    a.update({n: "不符合" for n in range(69, 74)})
    a[70], a[74] = "符合", "不适用"
    a[5], a[13] = "基本达标", "不达标"
    res = scoring.score("advanced", a).to_dict()
    res["mode"] = "full"
    return res


def _pages(path):
    return [p.extract_text() for p in pypdf.PdfReader(str(path)).pages]


def _text(path):
    return "\n".join(_pages(path))


def _build(tmp_path, result, lang="zh", name="r.pdf", **kw):
    kw.setdefault("plan", PLAN)
    kw.setdefault("na_reasons", {74: NA_REASON})
    return report_pdf.build_report(
        result,
        ENT if lang == "zh" else {**ENT, "name": "Demo Trading Co."},
        path=tmp_path / name,
        lang=lang,
        generated_at=WHEN,
        report_id="ZP-20261129-TEST01",
        **kw,
    )


def test_report_has_every_element(tmp_path, result):
    p = _build(tmp_path, result)
    assert p.read_bytes().startswith(b"%PDF")
    pages = _pages(p)
    first = pages[0].replace("\n", "")
    # page 1: who, what, scope, date, id, result and why, summary, the chart with 附加标准
    for s in (
        "上海示例进出口有限公司",
        "91350100M000100Y43",
        "海关高级认证企业标准",
        "全面评估 74/74项",
        "2026-11-29",
        "ZP-20261129-TEST01",
        "总分：99 分",
        "结论：按所选规则暂不能通过",
        "有1项不达标",
        "摘要",
        "差距主要在财务状况维度",
        "建议优先整改影响通过的第13项",
    ):
        assert s in first, s
    txt = "".join(pages).replace("\n", "")
    # the chart names every dimension with its rate or points; 附加标准 included
    for s in ("内部控制", "财务状况", "守法规范", "贸易安全", "附加标准", "得分率75%", "加2分"):
        assert s in txt, s
    # gaps with requirement, why, steps and evidence
    for s in ("第13项 财务状况-偿债能力", "标准要求：具有一定的偿债能力", "改进步骤：", "需准备的材料：", "影响通过"):
        assert s in txt, s
    # the plan's owners and due dates
    for s in ("整改计划", "改善偿债能力指标", "财务部", "2027-01-29", "关务部", "2027-02-28", "已完成"):
        assert s in txt, s
    # appendix: every item of the standard with its answer, and the 不适用 reason
    assert "附录：全部回答" in txt
    for it in std_mod.get_standard("advanced").items:
        assert it.label in txt.replace("\n", ""), it.label
    assert NA_REASON in txt.replace("\n", "")
    assert "未说明理由" not in txt  # unclaimed additional items need no reason
    # no glued text ("总分：90结论"): total and result are separate lines
    assert re.search(r"总分：99 分\s*\n\s*结论", pages[0])


def test_pages_say_x_of_y(tmp_path, result):
    pages = _pages(_build(tmp_path, result))
    assert len(pages) >= 3
    for i, t in enumerate(pages, 1):
        assert f"第 {i} 页 / 共 {len(pages)} 页" in t, (i, t[-200:])


def _fonts(path):
    out = []
    for page in pypdf.PdfReader(str(path)).pages:
        for _, ref in (page["/Resources"].get("/Font") or {}).items():
            f = ref.get_object()
            desc = f.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in f:
                desc = f["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            out.append((str(f.get("/BaseFont")), desc.get_object() if desc is not None else None))
    return out


def test_cjk_font_is_embedded_and_has_every_glyph(tmp_path, result):
    found = report_pdf.font_file()
    if found is None:
        pytest.skip("no CJK TrueType font installed (scripts/install_system_packages.sh installs fonts-wqy-microhei)")
    p = _build(tmp_path, result)
    fonts = _fonts(p)
    assert fonts
    for base, desc in fonts:
        # every font on every page is a subset of the embedded TrueType file (no viewer-supplied font)
        assert desc is not None and "/FontFile2" in desc, base
    from fontTools.ttLib import TTCollection, TTFont

    path, index = found
    ft = TTCollection(str(path)).fonts[index] if path.suffix.lower() == ".ttc" else TTFont(str(path))
    cmap = ft.getBestCmap()
    missing = {ch for ch in _text(p) + _text(_build(tmp_path, result, "en", "e.pdf")) if not ch.isspace()}
    missing = {ch for ch in missing if ord(ch) not in cmap}
    assert not missing, f"glyphs the font lacks (would show as boxes): {sorted(missing)}"


def test_font_fallback_is_clear(tmp_path, result, monkeypatch, caplog):
    monkeypatch.setattr(report_pdf, "FONT_CANDIDATES", ())
    monkeypatch.setenv("REPORT_FONT", str(tmp_path / "absent.ttf"))
    monkeypatch.setattr(report_pdf, "_font", None)
    with caplog.at_level(logging.WARNING):
        txt = _text(_build(tmp_path, result))
    assert "总分：99 分" in txt
    assert any("No embeddable CJK font" in r.message for r in caplog.records)
    monkeypatch.setattr(report_pdf, "_font", None)  # the next test registers the real font again


def test_quick_check_states_its_scope(tmp_path):
    nums = std_mod.quick_check_items("certified")
    assert nums
    res = scoring.score("certified", {n: "达标" for n in nums}, scope=nums).to_dict()
    res["mode"] = "quick"
    first = _pages(_build(tmp_path, res, plan=None))[0]
    total = len(std_mod.get_standard("certified").items)
    assert f"快速自查 {len(nums)}/{total}项" in first
    assert "正式申请前请完成全面评估" in first


GUIDANCE_13 = """guidance:
  - applies_to: ['advanced:13']
    why: {zh: 偿债能力很重要, en: Solvency matters}
    customs_checks: {zh: 资产负债表, en: the balance sheet}
    steps: {zh: [降低负债], en: [reduce debt]}
    evidence: {zh: [审计报告], en: [audit report]}
    owner: {zh: 财务部, en: Finance}
"""


def test_report_en_and_item_without_guidance(tmp_path, result):
    g = tmp_path / "empty.yaml"
    g.write_text("guidance: []\n", encoding="utf-8")
    p = _build(tmp_path, result, "en", "e.pdf", guidance_path=g)
    txt = _text(p)
    for s in (
        "Demo Trading Co.",
        "Total: 99 points",
        "Full assessment, 74/74 items",
        "Additional standards",
        "No guidance",
        "Appendix: every answer",
        "Improve solvency ratios",
    ):
        assert s in txt, s
    assert re.search(r"Page 1 of \d+", txt)


def test_guidance_is_read_strictly(tmp_path, result):
    g = tmp_path / "g.yaml"
    g.write_text(GUIDANCE_13, encoding="utf-8")
    txt = _text(report_pdf.build_report(result, {}, path=tmp_path / "g.pdf", guidance_path=g))
    assert "偿债能力很重要" in txt and "降低负债" in txt
    # A bad or missing file fails loudly (the chat and the PDF read it the same way), never an empty PDF.
    partial = tmp_path / "partial.yaml"
    partial.write_text("guidance:\n  - applies_to: ['advanced:13']\n    why: {zh: 偿债能力很重要}\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("guidance: [unclosed", encoding="utf-8")
    junk = tmp_path / "junk.yaml"
    junk.write_text(GUIDANCE_13 + "  - junk\n", encoding="utf-8")
    loose = tmp_path / "loose.yaml"
    loose.write_text(
        GUIDANCE_13.replace("applies_to:", "partly_matches: certified\n    applies_to:", 1), encoding="utf-8"
    )
    for path, message in (
        (partial, "field 'why' needs zh and en"),
        (loose, "'partly_matches' is a list of 'standard:number'"),
        (bad, "invalid YAML"),
        (junk, "guidance[1]: expected a mapping"),
        (tmp_path / "absent.yaml", "not found"),
    ):
        with pytest.raises(GuidanceError, match=re.escape(message)):
            report_pdf.build_report(result, {}, path=tmp_path / "x.pdf", guidance_path=path)
        assert not (tmp_path / "x.pdf").exists()


def test_filename():
    assert report_pdf.report_filename(ENT, WHEN) == "自评报告_上海示例进出口有限公司_2026-11-29.pdf"
    assert report_pdf.report_filename({"name": 'A/B:C*"D"'}, WHEN, "en") == "self-assessment_ABCD_2026-11-29.pdf"
    assert report_pdf.report_filename({}, WHEN) == "自评报告_2026-11-29.pdf"


def test_reports_are_stored_in_the_database_and_expire(tmp_path, result, monkeypatch):
    """A report made by an action server downloads through a gateway in
    another working directory: it lives in the shared database, with its
    download name, for REPORT_TTL_DAYS (default 7)."""
    import datetime as dt

    from core.assessment import report_store

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'reports.db'}")
    token = report_pdf.save_report(result, ENT, plan=PLAN)
    data, name = report_pdf.stored_report(token)
    assert data.startswith(b"%PDF") and name.startswith("自评报告_上海示例进出口有限公司_")
    assert not list(tmp_path.glob("**/*.pdf"))  # no file anywhere
    for bad in ("../../etc/passwd", "short", "A" * 32):
        assert report_pdf.stored_report(bad) is None
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert report_store.get(token, now=now + dt.timedelta(days=6)) is not None
    assert report_store.get(token, now=now + dt.timedelta(days=8)) is None
    monkeypatch.setenv("REPORT_TTL_DAYS", "1")
    short = report_store.put(b"%PDF-1.4", None)
    assert report_store.get(short, now=now + dt.timedelta(days=2)) is None
    # storing a new report purges the expired ones
    report_store.put(b"%PDF-1.4", None, now=now + dt.timedelta(days=30))
    assert report_store.get(token, now=now) is None


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_pages_render_to_png(tmp_path, result):
    """Renders every page of the Chinese and English reports to test-artifacts/report/ (look at them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from PIL import Image

    for lang in ("zh", "en"):
        p = _build(tmp_path, result, lang, f"{lang}.pdf")
        n = len(pypdf.PdfReader(str(p)).pages)
        for old in ARTIFACTS.glob(f"report-{lang}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(p), str(ARTIFACTS / f"report-{lang}")], check=True)
        pngs = sorted(ARTIFACTS.glob(f"report-{lang}-*.png"))
        assert len(pngs) == n
        for png in pngs:
            img = Image.open(png).convert("L")
            lo, hi = img.getextrema()
            assert hi - lo > 100, f"{png.name} looks blank"


def test_reads_the_scope_and_na_list_that_scoring_returns(tmp_path):
    """The report reads what scoring really returns: ``scope`` and ``not_applicable`` with reasons."""
    nums = std_mod.quick_check_items("certified")
    answers = {n: "达标" for n in nums}
    extra = next(it.number for it in std_mod.get_standard("certified").items if it.additional)
    answers[extra] = "不适用"
    res = scoring.score("certified", answers, scope=nums, mode="quick", reasons={extra: "没有该项业务"}).to_dict()
    pages = _pages(_build(tmp_path, res, plan=None, na_reasons=None))
    total = res["scope"]["total"]
    assert f"快速自查 {res['scope']['n']}/{total}项" in pages[0].replace("\n", "")
    assert "没有该项业务" in "".join(pages).replace("\n", "")


def _stored_text(token):
    data, _ = report_pdf.stored_report(token)
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def test_saved_report_includes_the_active_plan_from_the_database(tmp_path, result, monkeypatch):
    """save_report looks up the enterprise's active improvement plan (real SQLite database)."""
    from core.cultivation import store as cultivation_store
    from core.db import create_schema

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'plan.db'}")
    create_schema()  # the Alembic migrations, as make run does
    plan = cultivation_store.plan_from_gaps(ENT["code"], result["gaps"], dt.date(2026, 11, 29))
    due = {t["item_ref"]: t["due_date"] for t in plan["tasks"]}
    assert due == {"advanced:13": "2026-12-29", "advanced:5": "2027-01-28"}
    token = report_pdf.save_report(result, ENT)
    txt = _stored_text(token)
    assert "整改计划" in txt and "2026-12-29" in txt and "2027-01-28" in txt
    owners = {t["owner_department"] for t in plan["tasks"]}
    assert all(o and o in txt for o in owners), owners
    # another enterprise's report never shows this plan
    from core.enterprise import credit_code

    other_code = credit_code.generate(seed=4242)
    assert credit_code.check(other_code).valid and other_code != ENT["code"]
    other = report_pdf.save_report(result, {"name": "乙公司", "code": other_code})
    assert "整改计划" not in _stored_text(other)


def test_general_item_not_applicable_shows_its_reason_or_says_none_was_given(tmp_path):
    a = {i: "达标" for i in range(1, 69)}
    a[40] = {"verdict": "不适用", "reason": "本企业没有自有运输车辆"}
    a[41] = "不适用"
    txt = _text(_build(tmp_path, scoring.score("advanced", a).to_dict(), plan=None, na_reasons=None))
    txt = txt.replace("\n", "")
    assert "本企业没有自有运输车辆" in txt and "未说明理由" in txt


def test_english_report_uses_the_english_item_texts(tmp_path, result):
    """Gaps and the appendix carry the standard's English labels and requirement translation
    (with the note that it is unofficial); the Chinese report keeps the Chinese texts."""
    flat = re.sub(r"\s+", " ", _text(_build(tmp_path, result, "en", "e.pdf")))
    adv = std_mod.get_standard("advanced")
    for n in (5, 13):  # the two gaps
        assert f"Item {n} {adv.item(n).label_en}" in flat, n
        assert adv.item(n).requirement_en[:120] in flat, n
    assert "Requirement (our unofficial translation): " in flat
    assert "Fix first: item 13 (Financial status – solvency)" in flat
    for n in (1, 48, 74):  # appendix rows
        assert adv.item(n).label_en in flat, n
    own_words = re.sub(r"本企业不从事.{0,40}?书面说明", "", flat)  # the enterprise's own reason (NA_REASON) stays
    assert "本企业不从事" in flat and not any(it.label in own_words for it in adv.items)
    assert not any(it.requirement[:30] in own_words for it in adv.items)
    assert "unofficial translation; the Chinese text of the standard prevails" in flat

    zh = re.sub(r"\s+", "", _text(_build(tmp_path, result, "zh", "z.pdf")))
    assert f"第5项{adv.item(5).label}" in zh and re.sub(r"\s+", "", adv.item(13).requirement)[:60] in zh
    assert "Customs" not in zh and "unofficial" not in zh
