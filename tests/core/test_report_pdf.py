"""PDF report: exists, Chinese text and the total are extractable."""

import pypdf
import pytest

from core.assessment import report as report_pdf
from core.standards import scoring


@pytest.fixture
def result():
    a = {i: "达标" for i in range(1, 69)}
    a.update({n: "不符合" for n in range(69, 75)})
    a[5], a[13] = "基本达标", "不达标"
    return scoring.score("advanced", a).to_dict()


def _text(path):
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)


def test_report_zh(tmp_path, result):
    p = report_pdf.build_report(
        result, {"name": "上海示例进出口有限公司", "code": "91350100M000100Y43"}, path=tmp_path / "r.pdf"
    )
    assert p.exists() and p.read_bytes().startswith(b"%PDF")
    txt = _text(p)
    assert "总分：97" in txt
    for s in (
        "上海示例进出口有限公司",
        "海关高级认证企业标准",
        "内部控制",
        "财务状况-偿债能力",
        "单证复核",
        "第 1 页",
        "有1项不达标",
    ):
        assert s in txt, s


def test_report_en_and_missing_guidance(tmp_path, result):
    p = report_pdf.build_report(
        result, {"name": "Demo Co"}, path=tmp_path / "e.pdf", lang="en", guidance_path=tmp_path / "absent.yaml"
    )
    txt = _text(p)
    assert "Total: 97" in txt and "Page 1" in txt and "No guidance" in txt


def test_partial_guidance(tmp_path, result):
    g = tmp_path / "g.yaml"
    g.write_text(
        "guidance:\n  - applies_to: ['advanced:13']\n    why: {zh: 偿债能力很重要}\n  - junk\n", encoding="utf-8"
    )
    txt = _text(report_pdf.build_report(result, {}, path=tmp_path / "g.pdf", guidance_path=g))
    assert "偿债能力很重要" in txt
    bad = tmp_path / "bad.yaml"
    bad.write_text("guidance: [unclosed", encoding="utf-8")
    assert report_pdf.load_guidance(bad) == {}


def test_token_store(tmp_path, result):
    token = report_pdf.save_report(result, {"name": "甲"}, base_dir=tmp_path)
    assert report_pdf.report_file(token, tmp_path).exists()
    assert report_pdf.report_file("../../etc/passwd", tmp_path) is None
    assert report_pdf.report_file("short", tmp_path) is None
    assert report_pdf.report_file("A" * 32, tmp_path) is None
