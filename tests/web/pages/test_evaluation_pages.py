"""年终考核 page: office staff edit the rubric and review a unit's score; a reporter assesses its own
unit and sees only it; every score shows its calculation; typed text comes back escaped."""

from __future__ import annotations

from tests.web.pages.conftest import PagesFor, post_form

from eduplan.samples.loop import World

XSS = "<script>alert(1)</script>"


def test_the_ranking_explains_every_score(pages_for: PagesFor, world: World) -> None:
    leader = pages_for("leader", world.password)
    page = leader.get(f"/evaluation?plan={world.plan_id}")
    assert page.status_code == 200
    assert "考核排名" in page.text and "计算得分" in page.text and "完成度 0.0 × 40% = 0.0" in page.text
    assert "及时性依据：应报" in page.text and "计划财务科" in page.text
    assert "保存细则" not in page.text and "保存复核" not in page.text  # a leader reads only
    data = leader.get(f"/evaluation.json?plan={world.plan_id}").json()
    units = data["evaluation"]["units"]
    # nothing reported yet: no unit has anything to rank on (issue 15)
    assert [u["rank"] for u in units] == [None] * len(units) and all(u["explanation"] for u in units)
    assert "不参与排名" in page.text
    # like with like: the 科室 and the 直属单位 each a group of their own (issue 14)
    assert {u["tier"] for u in units} >= {"市局科室", "直属单位"}
    assert "市局科室（同级排名）" in page.text and "直属单位（同级排名）" in page.text
    assert data["evaluation"]["rubric"]["completion_weight"] == 40


def test_office_edits_the_rubric_and_errors_keep_the_input(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    url = f"/evaluation?plan={world.plan_id}"
    fields = {
        "completion_weight": "50",
        "timeliness_weight": "30",
        "target_weight": "20",
        "urge_penalty": "2",
        "rectification_penalty": "3",
        "max_penalty": "20",
        "version": "",
    }
    bad = post_form(office, f"/evaluation/{world.plan_id}/rubric", fields | {"target_weight": XSS}, page=url)
    assert bad.status_code == 422 and "请输入 0 到 100 之间的数字" in bad.text
    assert 'value="50"' in bad.text and XSS not in bad.text and "&lt;script&gt;" in bad.text
    zero = fields | {"completion_weight": "0", "timeliness_weight": "0", "target_weight": "0"}
    assert (
        "三项权重不能全为 0" in post_form(office, f"/evaluation/{world.plan_id}/rubric", zero, page=url).text
    )
    done = post_form(office, f"/evaluation/{world.plan_id}/rubric", fields, page=url)
    assert done.status_code == 303
    after = office.get(done.headers["location"]).text
    assert "考核细则已保存" in after and "完成度 0.0 × 50% = 0.0" in after
    stale = post_form(office, f"/evaluation/{world.plan_id}/rubric", fields | {"version": "0"}, page=url)
    assert stale.status_code == 409 and "office" in stale.text and 'value="50"' in stale.text


def test_a_review_replaces_the_computed_score_with_its_reason(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    unit = world.units["计划财务科"]
    url = f"/evaluation?plan={world.plan_id}"
    action = f"/evaluation/{world.plan_id}/units/{unit}/review"
    no_reason = post_form(office, action, {"score": "88", "note": "", "version": ""}, page=url)
    assert (
        no_reason.status_code == 422
        and "复核评分须写明理由" in no_reason.text
        and 'value="88"' in no_reason.text
    )
    done = post_form(office, action, {"score": "88", "note": "材料扎实" + XSS, "version": ""}, page=url)
    assert done.status_code == 303
    page = office.get(url).text
    assert "复核得分 88.0（office：材料扎实&lt;script&gt;" in page and XSS not in page
    units = office.get(f"/evaluation.json?plan={world.plan_id}").json()["evaluation"]["units"]
    assert units[0]["unit_name"] == "计划财务科" and units[0]["score"] == 88


def test_a_reporter_assesses_its_own_unit_only(pages_for: PagesFor, world: World) -> None:
    caiwu = pages_for("caiwu", world.password)
    url = f"/evaluation?plan={world.plan_id}"
    page = caiwu.get(url)
    assert "计划财务科 自评" in page.text and "基础教育科" not in page.text and "保存复核" not in page.text
    bad = post_form(caiwu, f"/evaluation/{world.plan_id}/self", {"score": "120", "note": XSS}, page=url)
    assert (
        bad.status_code == 422 and "请输入 0 到 100 之间的分数" in bad.text and "&lt;script&gt;" in bad.text
    )
    done = post_form(
        caiwu, f"/evaluation/{world.plan_id}/self", {"score": "95", "note": "全部完成"}, page=url
    )
    assert done.status_code == 303
    assert "自评 95.0" in caiwu.get(url).text
    review = post_form(
        caiwu,
        f"/evaluation/{world.plan_id}/units/{world.units['计划财务科']}/review",
        {"score": "100", "note": "自己复核"},
        page=url,
    )
    assert review.status_code == 403
    viewer = pages_for("viewer", world.password)
    assert (
        post_form(viewer, f"/evaluation/{world.plan_id}/self", {"score": "90"}, page=url).status_code == 403
    )
