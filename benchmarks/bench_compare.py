"""Benchmarks of topics and comparison; prints one table of figures.

Run with `.venv/bin/python benchmarks/bench_compare.py` (`--tasks N` to change the index size).
  (a) a similarity index over 40,000 tasks generated from our own fictional templates: build time
      on one core, and the latency of `most_similar(task, 5)` (median and 95th percentile);
  (b) on the five real seeds of ../shared/corpus (skipped when absent): similar-task quality
      against the topic gold (top-1 shares the primary topic, top-5 mean), and primary-topic
      accuracy overall and on the held-out seeds 003–004;
  (c) the cost of labelling after `parse_plan`: normalize + parse of the seeds ×16 with and
      without the `label_plan` step, MB/s (the parser must stay at 10 MB/s or more).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from _table import verdict

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

from eduplan.compare import SimilarityIndex, all_entries  # noqa: E402
from eduplan.compare.entries import Entry  # noqa: E402
from eduplan.domain import Plan  # noqa: E402
from eduplan.topics import default_classifier  # noqa: E402
from eduplan.topics.evaluation import GoldKey, gold_primaries  # noqa: E402

Row = tuple[str, str, str, str]

# -- fictional task generator ---------------------------------------------------------------------
PLACES = [
    "东川",
    "西岭",
    "南湖",
    "北岸",
    "青山",
    "白水",
    "红桥",
    "金沙",
    "玉泉",
    "银杏",
    "松林",
    "柳园",
    "桃源",
    "梅溪",
    "兰亭",
    "竹海",
    "石门",
    "云台",
    "星城",
    "月湾",
]
THEMES: dict[str, tuple[list[str], list[str]]] = {
    "labor": (
        ["加强劳动教育", "深化劳动实践", "建设劳动教育基地", "推进研学实践教育"],
        [
            "建设{n}个中小学劳动教育实践基地",
            "制定家务劳动清单，每学年设立劳动周",
            "组织学生到{place}农场开展农耕体验",
            "开发研学实践课程{n}门，遴选研学营地{m}个",
        ],
    ),
    "pe": (
        ["加强学校体育", "推进阳光体育运动", "发展校园足球", "提升学生体质健康水平"],
        [
            "保障学生每天校内体育活动时间不少于1小时",
            "新增校园足球特色学校{n}所",
            "举办{place}中小学生运动会",
            "学生体质健康优良率达到{pct}%",
        ],
    ),
    "preschool": (
        ["扩大普惠性学前教育资源", "推进学前教育普及普惠", "规范幼儿园办园行为", "做好幼小衔接"],
        [
            "新建改扩建公办幼儿园{n}所",
            "普惠性幼儿园覆盖率达到{pct}%",
            "完成小区配套幼儿园治理{m}所",
            "开展幼儿园保教质量评估",
        ],
    ),
    "teachers": (
        ["加强师德师风建设", "提升教师专业能力", "深化县管校聘改革", "保障教师待遇"],
        [
            "开展师德师风专题教育，落实师德失范行为通报警示制度",
            "培训骨干教师{n}名，建设名师工作室{m}个",
            "推进义务教育教师交流轮岗，交流比例不低于{pct}%",
            "确保中小学教师平均工资收入不低于当地公务员",
        ],
    ),
    "digital": (
        ["推进教育信息化", "建设智慧校园", "加强网络安全", "扩大数字教育资源"],
        [
            "建设{place}教育数据中心，实现校园网全覆盖",
            "创建智慧校园示范校{n}所",
            "落实网络安全等级保护制度",
            "建设优质数字教育资源{m}节",
        ],
    ),
    "safety": (
        ["建设平安校园", "加强校园安全管理", "做好防溺水工作", "维护教育系统安全稳定"],
        [
            "开展校园安全隐患排查整治",
            "实现中小学一键报警装置全覆盖",
            "组织防溺水安全教育{n}场",
            "做好信访维稳和舆情处置",
        ],
    ),
    "vocational": (
        ["深化产教融合", "推进职业院校建设", "办好职业技能大赛", "发展现代学徒制"],
        [
            "推进校企合作，共建实训基地{n}个",
            "建设{place}职业教育集团",
            "开展1+X证书制度试点{m}项",
            "培养技术技能人才{n}名",
        ],
    ),
    "party": (
        ["加强党的建设", "落实全面从严治党", "加强基层党组织建设", "加强意识形态工作"],
        [
            "落实三会一课制度，推进党支部标准化建设",
            "开展党风廉政警示教育{n}次",
            "落实意识形态工作责任制",
            "建设{place}清廉学校",
        ],
    ),
    "health": (
        ["加强学生心理健康工作", "推进近视防控", "建设健康学校", "加强学校卫生工作"],
        [
            "配齐心理健康教育专职教师，建立心理危机干预机制",
            "开展学生视力筛查，近视率每年降低{m}个百分点",
            "创建健康促进学校{n}所",
            "落实学生体检制度，建立健康档案",
            "开展禁毒和预防艾滋病教育",
        ],
    ),
    "compulsory": (
        ["推进义务教育优质均衡", "做好课后服务", "深化集团化办学", "落实双减政策"],
        [
            "组建{place}教育集团{n}个，推进城乡学校结对",
            "实现义务教育学校课后服务全覆盖",
            "控制书面作业总量，加强作业设计研究",
            "消除大班额，义务教育学校标准化建设达标率{pct}%",
            "创建县域义务教育优质均衡发展县",
        ],
    ),
    "reform": (
        ["深化教育评价改革", "推进中考改革", "做好招生考试工作", "完善综合素质评价"],
        [
            "完善初中学业水平考试和综合素质评价",
            "优质普通高中招生名额分配比例不低于{pct}%",
            "规范义务教育招生入学，落实免试就近入学",
            "建设标准化考点{n}个，确保考试安全",
        ],
    ),
    "resources": (
        ["扩大学位供给", "加大教育投入", "改善办学条件", "加强教育经费管理"],
        [
            "新建改扩建中小学幼儿园{n}所，新增学位{m}000个",
            "落实生均公用经费标准，教育投入{n}亿元",
            "加强预算绩效管理和国有资产管理",
            "完成{place}学校校舍维修改造{m}万平方米",
        ],
    ),
}
GENERIC = [
    "完善工作机制，压实各方责任",
    "加强统筹协调，确保工作落到实处",
    "{place}要结合实际制定实施方案",
    "年底前完成阶段任务，组织开展评估",
    "及时总结推广典型经验",
    "建立工作台账，实行清单化管理",
    "将落实情况纳入年度考核",
    "加强宣传引导，营造良好氛围",
    "强化部门协同，形成工作合力",
]


def generate_entries(n: int, seed: int = 20240601) -> list[Entry]:
    """`n` fictional tasks over n/100 plans, ten to a chapter, topics labelled by the classifier."""
    rng = random.Random(seed)
    clf = default_classifier()
    themes = list(THEMES)
    entries = []
    for i in range(n):
        titles, sentences = THEMES[themes[rng.randrange(len(themes))]]
        title = rng.choice(titles)
        picked = rng.sample(sentences, rng.randint(2, len(sentences))) + rng.sample(
            GENERIC, rng.randint(1, 3)
        )
        fill = {
            "place": rng.choice(PLACES),
            "n": rng.randint(2, 60),
            "m": rng.randint(2, 30),
            "pct": rng.randint(50, 99),
        }
        body = title + "。" + "，".join(s.format(**fill) for s in picked) + "。"
        topics = tuple(x.id for x in clf.classify(title, body))
        entries.append(
            Entry(
                plan=f"{rng.choice(PLACES)}{i // 100}",
                kind="item",
                section=str(i // 10),
                number=str(i % 10 + 1),
                title=title,
                text=body,
                topics=topics,
            )
        )
    return entries


# -- figures --------------------------------------------------------------------------------------
def bench_index(n: int, queries: int = 200) -> list[Row]:
    """(a) build an index of `n` generated tasks, then time `most_similar(task, 5)`."""
    entries = generate_entries(n)
    t0 = time.perf_counter()
    index = SimilarityIndex(entries)
    build = time.perf_counter() - t0
    rng = random.Random(7)
    times = []
    for entry in rng.sample(entries, queries):
        t0 = time.perf_counter()
        index.most_similar(entry, 5)
        times.append(time.perf_counter() - t0)
    median, p95 = statistics.median(times), sorted(times)[int(0.95 * len(times)) - 1]
    return [
        (f"(a) index build, {n:,} tasks", f"{build:.1f} s", "< 60 s", verdict(build < 60)),
        (
            f"(a) most_similar(k=5), {queries} queries",
            f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
            "< 50 ms",
            verdict(p95 < 0.05),
        ),
    ]


def _seed_plans() -> tuple[dict[str, Plan], dict[GoldKey, str]]:
    from eduplan.parsing import parse_plan
    from eduplan.readers import read_path

    plans: dict[str, Plan] = {}
    gold: dict[GoldKey, str] = {}
    for path in sorted((CORPUS / "gold" / "topics").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        plans[path.stem] = parse_plan(read_path(CORPUS / data["file"]))
        gold.update(gold_primaries(path.stem, data))
    return plans, gold


def bench_seeds() -> list[Row]:
    """(b) similar-task quality and topic accuracy on the labelled seeds."""
    if not (CORPUS / "gold" / "topics").is_dir():
        return [("(b) seeds", "skipped: ../shared/corpus absent", "", "-")]
    plans, gold = _seed_plans()
    index = SimilarityIndex(all_entries(plans))
    queries = [e for e in index.entries if (e.plan, *e.key) in gold]
    top1 = top5 = 0.0
    right = {"all": [0, 0], "held-out": [0, 0]}
    for e in queries:
        truth = gold[(e.plan, *e.key)]
        hits = [gold.get((m.entry.plan, *m.entry.key)) for m in index.most_similar(e, 5)]
        top1 += bool(hits) and hits[0] == truth
        top5 += sum(h == truth for h in hits) / 5
        for part in ("all", "held-out") if e.plan[:3] in ("003", "004") else ("all",):
            right[part][0] += e.primary == truth
            right[part][1] += 1
    n = len(queries)
    acc = {k: v[0] / v[1] for k, v in right.items()}
    return [
        (
            f"(b) similar tasks, {n} seed items: top-1 same topic",
            f"{top1 / n:.3f}",
            ">= 0.85",
            verdict(top1 / n >= 0.85),
        ),
        ("(b) similar tasks: top-5 mean same topic", f"{top5 / n:.3f}", ">= 0.65", verdict(top5 / n >= 0.65)),
        (
            "(b) primary-topic accuracy, all seeds",
            f"{acc['all']:.3f} ({right['all'][0]}/{right['all'][1]})",
            ">= 0.85",
            verdict(acc["all"] >= 0.85),
        ),
        (
            "(b) primary-topic accuracy, held-out 003–004",
            f"{acc['held-out']:.3f} ({right['held-out'][0]}/{right['held-out'][1]})",
            ">= 0.85",
            verdict(acc["held-out"] >= 0.85),
        ),
    ]


def bench_labelling(factor: int = 16, repeat: int = 5) -> list[Row]:
    """(c) normalize + parse with and without labelling, interleaved, best of `repeat`."""
    seeds = sorted((CORPUS / "seeds").glob("*.txt"))
    if not seeds:
        return [("(c) labelling cost", "skipped: ../shared/corpus absent", "", "-")]
    from eduplan.parsing import parse_plan
    from eduplan.readers.normalize import normalize_lines
    from eduplan.topics import label_plan

    raw = [
        ln
        for s in seeds
        for ln in s.read_text(encoding="utf-8").splitlines()
        if not ln.strip().startswith("附件")
    ] * factor
    size = len("\n".join(raw).encode("utf-8")) / 2**20
    best = {"with": 1e9, "without": 1e9}
    steps = {"with": lambda lines: label_plan(parse_plan(lines)), "without": parse_plan}  # the two steps
    for _ in range(repeat):
        for name, step in steps.items():
            t0 = time.perf_counter()
            step(normalize_lines(raw))
            best[name] = min(best[name], time.perf_counter() - t0)
    share = best["with"] / best["without"] - 1
    return [
        (f"(c) parse seeds {factor}× without topics", f"{size / best['without']:.2f} MB/s", "", ""),
        (
            f"(c) parse seeds {factor}× with topics",
            f"{size / best['with']:.2f} MB/s (+{share:.0%} time)",
            ">= 10 MB/s",
            verdict(size / best["with"] >= 10),
        ),
    ]


def main() -> None:
    """Run every figure and print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=40_000, help="size of the generated index for (a)")
    args = ap.parse_args()
    rows: list[Row] = [("figure", "value", "target", "")]
    for bench in (lambda: bench_index(args.tasks), bench_seeds, bench_labelling):
        try:
            rows += bench()
        except Exception as exc:  # one failing figure must not hide the others
            rows.append(
                (
                    getattr(bench, "__name__", "bench"),
                    f"failed: {type(exc).__name__}: {exc}"[:100],
                    "",
                    "FAIL",
                )
            )
    width = [max(_width(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(c + " " * (width[i] - _width(c)) for i, c in enumerate(row)).rstrip())


def _width(s: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in s)


if __name__ == "__main__":
    main()
