"""Enterprise profile import: bad rows reported with line numbers, good rows kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.db import Base, get_engine, session_scope
from core.enterprise import credit_code
from core.enterprise.importer import import_file, lookup_level
from core.enterprise.models import Enterprise

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "knowledge" / "samples" / "enterprises_sample.csv"
C1, C2, C3 = (credit_code.generate(seed=s) for s in (11, 12, 13))
BAD_CHECK = C1[:17] + ("0" if C1[17] != "0" else "1")


@pytest.fixture
def engine(tmp_path):
    import core.models  # noqa: F401

    eng = get_engine(f"sqlite:///{tmp_path / 'imp.db'}")
    Base.metadata.create_all(eng)
    return eng


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_bad_rows_reported_good_rows_kept(tmp_path, engine):
    csv_text = (
        "code,name,level,customs_office,business_types,contact,production,sample\n"  # line 1
        f"{C1},示例一（演示数据）,高级认证企业,上海海关,一般贸易;加工贸易,张三,production,yes\n"  # 2 ok
        f"{BAD_CHECK},错码企业,常规企业,,,,,\n"  # 3 bad check char
        "\n"  # 4 blank
        f"{C2},,认证企业,,,,,\n"  # 5 missing name
        f'{C3},"示例三，含逗号（演示数据）",advanced,深圳海关,"一般贸易、跨境电商",,non_production,yes\n'  # 6 ok
        f"{C2},示例二,超级企业,,,,,\n"  # 7 bad level
        "12345,短码,,,,,,\n"  # 8 bad length
    )
    report = import_file(write(tmp_path, "e.csv", csv_text), engine=engine)
    lines = {(e["line"], e["field"]) for e in report.errors}
    assert lines == {(3, "code"), (5, "name"), (7, "level"), (8, "code")}
    assert report.created == 2 and report.total_rows == 6
    assert all(e["reason"]["zh"] and e["reason"]["en"] for e in report.errors)
    with session_scope(engine) as s:
        e3 = s.get(Enterprise, C3)
        assert e3.name == "示例三，含逗号（演示数据）" and e3.credit_level == "高级认证企业"
        assert json.loads(e3.business_types) == ["一般贸易", "跨境电商"] and e3.sample == "yes"
        assert s.get(Enterprise, C2) is None


def test_upsert_updates_existing(tmp_path, engine):
    import_file(write(tmp_path, "a.csv", f"code,name,level\n{C1},旧名,常规企业\n"), engine=engine)
    r = import_file(
        write(tmp_path, "b.csv", f"统一社会信用代码,企业名称,信用等级\n{C1},新名,认证企业\n"), engine=engine
    )
    assert r.updated == 1 and r.created == 0
    info = lookup_level(C1, engine=engine)
    assert info["found"] and info["level"] == "认证企业" and info["name"] == "新名"
    assert "credit.customs.gov.cn" in info["note"]["zh"] and "credit.customs.gov.cn" in info["note"]["en"]


def test_duplicate_code_in_one_file(tmp_path, engine):
    r = import_file(write(tmp_path, "d.csv", f"code,name\n{C1},甲\n{C1},乙\n"), engine=engine)
    assert r.created == 1 and r.errors[0]["line"] == 3 and "2" in r.errors[0]["reason"]["zh"]


def test_json_import_entry_numbers(tmp_path, engine):
    data = {
        "enterprises": [
            {"code": C1, "name": "JSON 一", "level": "regular", "business_types": ["一般贸易"]},
            {"code": "bad", "name": "x"},
            "not a record",
            {"code": C2, "name": "JSON 二", "sample": "maybe"},
        ]
    }
    r = import_file(write(tmp_path, "e.json", json.dumps(data, ensure_ascii=False)), engine=engine)
    assert r.created == 1
    assert {(e["line"], e["field"]) for e in r.errors} == {(2, "code"), (3, "row"), (4, "sample")}


def test_unreadable_files(tmp_path, engine):
    assert import_file(tmp_path / "missing.csv", engine=engine).file_error
    assert import_file(write(tmp_path, "x.txt", "a"), engine=engine).file_error
    assert import_file(write(tmp_path, "x.json", "{"), engine=engine).file_error


def test_dry_run_writes_nothing(tmp_path, engine):
    r = import_file(write(tmp_path, "a.csv", f"code,name\n{C1},甲\n"), engine=engine, dry_run=True)
    assert r.created == 1
    assert lookup_level(C1, engine=engine)["found"] is False


def test_lookup_level_invalid_and_unknown(engine):
    bad = lookup_level("123", engine=engine)
    assert bad["valid"] is False and bad["reason"]
    unknown = lookup_level(C3, engine=engine)
    assert unknown["valid"] and not unknown["found"] and "credit.customs.gov.cn" in unknown["reason"]["en"]


def test_sample_file_is_labelled_demo_data_and_valid(engine):
    r = import_file(SAMPLE, engine=engine)
    assert r.errors == [] and r.created >= 5
    with session_scope(engine) as s:
        rows = s.query(Enterprise).all()
        assert all(e.sample == "yes" and "演示数据" in e.name for e in rows)
    code = SAMPLE.read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    info = lookup_level(code, engine=engine)
    assert info["sample"] is True and info["sample_note"]["zh"]


def test_cli(tmp_path, monkeypatch, capsys):
    import importlib.util

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    spec = importlib.util.spec_from_file_location("import_enterprises", ROOT / "scripts" / "import_enterprises.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([str(SAMPLE)]) == 0
    bad = write(tmp_path, "bad.csv", f"code,name\n{C1},甲\n{BAD_CHECK},乙\n")
    assert mod.main([str(bad), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err
    assert mod.main([str(tmp_path / "nope.csv")]) == 2
