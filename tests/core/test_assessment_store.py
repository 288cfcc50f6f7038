"""Assessment store on a real SQLite file in tmp_path."""

import pytest

from core.assessment import store as st
from core.db import create_schema, get_engine
from core.enterprise import credit_code
from core.standards import catalogue as standards
from core.standards import scoring


@pytest.fixture
def engine(tmp_path):
    e = get_engine(f"sqlite:///{tmp_path / 'a.db'}")
    create_schema(e)
    yield e
    e.dispose()


A = credit_code.generate(1)
B = credit_code.generate(2)


def test_walk_record_and_resume(engine):
    s = st.start_or_resume(A, "甲公司", "advanced", mode="full", production=True, engine=engine)
    assert not s["resumed"] and s["current_item"] == 1 and s["total"] == 74
    assert st.next_item(A, s["id"], engine=engine) == 1
    st.record_answer(A, s["id"], 1, "达标", engine=engine)
    st.record_answer(A, s["id"], 2, "部分达标", engine=engine)
    assert st.next_item(A, s["id"], engine=engine) == 3
    st.pause(A, s["id"], engine=engine)
    # a new conversation resumes the same assessment at the same place
    s2 = st.start_or_resume(A, "", "advanced", mode="full", engine=engine)
    assert s2["resumed"] and s2["id"] == s["id"] and s2["answered"] == 2 and s2["status"] == "in_progress"
    assert st.next_item(A, s["id"], engine=engine) == 3
    assert st.get_answers(A, s["id"], engine=engine) == {1: "达标", 2: "基本达标"}


def test_answer_stored_immediately(engine, tmp_path):
    s = st.start_or_resume(A, "甲", "certified", engine=engine)
    st.record_answer(A, s["id"], 5, "不达标", detail={"note": "x"}, engine=engine)
    other = get_engine(f"sqlite:///{tmp_path / 'a.db'}?x=1")  # separate engine sees the committed row
    assert st.get_answers(A, s["id"], engine=other) == {5: "不达标"}


def test_skip_back_goto(engine):
    s = st.start_or_resume(A, "甲", "advanced", mode="quick", engine=engine)
    q = standards.quick_check_items("advanced")
    assert st.next_item(A, s["id"], engine=engine) == q[0]
    assert st.skip_item(A, s["id"], engine=engine) == q[1]
    st.record_answer(A, s["id"], q[1], "达标", engine=engine)
    assert st.next_item(A, s["id"], engine=engine) == q[2]
    assert st.previous_item(A, s["id"], engine=engine) == q[1]
    assert st.goto_item(A, s["id"], q[5], engine=engine) == q[5]
    with pytest.raises(scoring.UnknownItem):
        st.goto_item(A, s["id"], 1, engine=engine)  # not in the quick check
    for n in q[2:]:
        st.record_answer(A, s["id"], n, "达标", engine=engine)
    assert st.next_item(A, s["id"], engine=engine) == q[0]  # the skipped one comes round again
    st.record_answer(A, s["id"], q[0], "达标", engine=engine)
    assert st.next_item(A, s["id"], engine=engine) is None


def test_progress_by_dimension(engine):
    s = st.start_or_resume(A, "甲", "advanced", engine=engine)
    for n in (1, 2, 3, 12):
        st.record_answer(A, s["id"], n, "达标", engine=engine)
    p = st.progress(A, s["id"], engine=engine)
    texts = [d["text"] for d in p["dimensions"]]
    assert texts[:2] == ["内部控制 3/11", "财务状况 1/4"] and p["answered"] == 4 and p["total"] == 74


def test_invalid_answers_rejected(engine):
    s = st.start_or_resume(A, "甲", "advanced", engine=engine)
    with pytest.raises(scoring.InvalidAnswer):
        st.record_answer(A, s["id"], 5, "很好", engine=engine)
    with pytest.raises(scoring.InvalidAnswer):
        st.record_answer(A, s["id"], 70, "基本达标", engine=engine)
    with pytest.raises(scoring.UnknownItem):
        st.record_answer(A, s["id"], 99, "达标", engine=engine)
    with pytest.raises(ValueError):
        st.start_or_resume("123", "x", engine=engine)


def test_complete_history_compare(engine):
    s = st.start_or_resume(A, "甲", "advanced", mode="quick", engine=engine)
    q = standards.quick_check_items("advanced")
    for n in q:
        st.record_answer(A, s["id"], n, "达标", engine=engine)
    st.record_answer(A, s["id"], q[0], "不达标", source="computed", detail={"opinion": "adverse"}, engine=engine)
    r1 = st.complete(A, s["id"], engine=engine)
    assert r1["total"] == 98 and not r1["passed"]
    with pytest.raises(st.AssessmentStateError):
        st.record_answer(A, s["id"], q[1], "达标", engine=engine)
    s2 = st.start_or_resume(A, "甲", "advanced", mode="quick", engine=engine)
    assert s2["id"] != s["id"] and not s2["resumed"]
    for n in q:
        st.record_answer(A, s2["id"], n, "达标", engine=engine)
    r2 = st.complete(A, s2["id"], engine=engine)
    assert r2["passed"] and r2["total"] == 100
    h = st.history(A, engine=engine)
    assert [x["id"] for x in h] == [s2["id"], s["id"]] and h[0]["total"] == 100
    c = st.compare(A, engine=engine)
    assert c["total_change"] == 2 and c["passed"] == [False, True]
    assert c["items"] == [
        {
            "item": q[0],
            "label": standards.item("advanced", q[0]).label,
            "dimension": standards.item("advanced", q[0]).dimension,
            "before": "不达标",
            "after": "达标",
            "trend": "improved",
        }
    ]


def test_isolation_between_enterprises(engine):
    sa = st.start_or_resume(A, "甲", "advanced", engine=engine)
    sb = st.start_or_resume(B, "乙", "advanced", engine=engine)
    st.record_answer(A, sa["id"], 1, "达标", engine=engine)
    st.record_answer(B, sb["id"], 1, "不达标", engine=engine)
    for fn in (st.get_answers, st.next_item, st.progress, st.complete, st.pause, st.get_state):
        with pytest.raises(st.AssessmentNotFound):
            fn(B, sa["id"], engine=engine)
    with pytest.raises(st.AssessmentNotFound):
        st.record_answer(B, sa["id"], 2, "达标", engine=engine)
    assert st.get_answers(A, sa["id"], engine=engine) == {1: "达标"}
    assert [h["id"] for h in st.history(B, engine=engine)] == [sb["id"]]
    assert st.compare(B, engine=engine) is None


def test_default_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    create_schema()
    s = st.start_or_resume(A, "甲", "certified")
    assert st.get_state(A, s["id"])["standard"] == "certified"


def test_not_applicable_reason_is_kept_and_scored(engine):
    s = st.start_or_resume(A, "甲", "certified", engine=engine)
    for n in range(1, 63):
        if n == 47:
            st.record_answer(A, s["id"], n, "不适用", reason="没有自有运输工具", engine=engine)
        elif n > 56:
            st.record_answer(A, s["id"], n, "不符合" if n != 57 else "符合", engine=engine)
        else:
            st.record_answer(A, s["id"], n, "达标", engine=engine)
    rows = st.answer_rows(A, s["id"], engine=engine)
    assert rows[47]["reason"] == "没有自有运输工具" and rows[58]["verdict"] == "不适用"
    r = st.complete(A, s["id"], engine=engine)
    assert r["passed"] and r["total"] == 102
    assert {"item": 47, "reason": "没有自有运输工具"}.items() <= next(
        d for d in r["not_applicable"] if d["item"] == 47
    ).items()


def test_an_answer_for_an_item_no_longer_open_is_refused(engine):
    s = st.start_or_resume(A, "甲", "advanced", engine=engine)
    st.record_answer(A, s["id"], 1, "达标", expected_item=1, engine=engine)
    with pytest.raises(st.AnswerConflict) as e:  # the same tap again
        st.record_answer(A, s["id"], 1, "不达标", expected_item=1, engine=engine)
    assert e.value.current == 2
    assert st.get_answers(A, s["id"], engine=engine) == {1: "达标"}
    # the checklist page answers any item without moving the conversation
    st.record_answer(A, s["id"], 40, "达标", move=False, engine=engine)
    assert st.current_item(A, s["id"], engine=engine) == 2


def test_two_writers_at_once_cannot_shift_answers(tmp_path):
    import threading

    engine = get_engine(f"sqlite:///{tmp_path / 'c.db'}")
    create_schema(engine)
    s = st.start_or_resume(A, "甲", "advanced", engine=engine)
    outcomes: list = []
    barrier = threading.Barrier(2)

    def writer(verdict):
        barrier.wait()
        try:
            st.record_answer(A, s["id"], 1, verdict, expected_item=1, engine=engine)
            outcomes.append(("ok", verdict))
        except st.AnswerConflict as exc:
            outcomes.append(("conflict", exc.current))

    for _ in range(5):
        outcomes.clear()
        threads = [threading.Thread(target=writer, args=(v,)) for v in ("达标", "不达标")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok = [o for o in outcomes if o[0] == "ok"]
        assert len(ok) == 1 and ("conflict", 2) in outcomes, outcomes
        answers = st.get_answers(A, s["id"], engine=engine)
        assert answers == {1: ok[0][1]}  # item 2 never got the other writer's answer
        st.goto_item(A, s["id"], 1, engine=engine)
        with pytest.raises(st.AnswerConflict):
            st.record_answer(A, s["id"], 1, "达标", expected_item=3, engine=engine)
    engine.dispose()
