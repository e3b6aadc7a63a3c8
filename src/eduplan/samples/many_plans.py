"""Many distinct fictional plans for benchmarks and bulk-import tests (written for eduplan).

`plan_lines(i)` is the i-th plan of a fictional registry: a 工作要点 of an invented place (青川市,
白溪县 …) for one year, 5 chapters of 8 numbered items drawn from a bank of 48 task templates,
every item carrying 2 or 3 quantitative targets whose figures vary from plan to plan.  Each plan
has exactly `TASKS_PER_PLAN` tasks and `TARGETS_PER_PLAN` targets as `eduplan parse` reads them
(tests/services check this), so 1,000 plans make 40,000 tasks and 100,000 targets.

Plan i is the place ``i % len(PLACES)`` in the year ``FIRST_YEAR + i // len(PLACES)``, so the plans
of one place differ by year and are never taken for versions of one another.  The text is seeded by
`i` alone: the same i gives the same bytes.  No sentence here is taken from a real document.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

TASKS_PER_PLAN = 40
TARGETS_PER_PLAN = 100
CHAPTERS_PER_PLAN = 5
FIRST_YEAR = 2001

_HEADS = "青白云石金松桃柳梅竹兰荷清明安平宁和永泰长乐丰瑞"
_TAILS = "川溪岭湖港原塘湾"
PLACES: tuple[str, ...] = tuple(
    f"{h}{t}{'市' if (k + j) % 3 else '县'}" for k, h in enumerate(_HEADS) for j, t in enumerate(_TAILS)
)[:50]
"""Fifty invented places (two characters and 市 or 县)."""

_SLOT = re.compile(r"\{(\d+(?:\.\d)?)\.\.(\d+(?:\.\d)?)(?:/(\d+))?\}")
"""A figure slot in a body: ``{lo..hi}``, ``{lo..hi/step}`` (whole numbers) or ``{0.2..3.9}`` (tenths)."""


def _draw(slot: re.Match[str], rng: random.Random) -> str:
    lo, hi, step = slot.groups()
    if "." in lo:
        return f"{rng.randint(round(float(lo) * 10), round(float(hi) * 10)) / 10:.1f}"
    return str(rng.randrange(int(lo), int(hi) + 1, int(step or 1)))


@dataclass(frozen=True)
class TaskTemplate:
    """An item: a lead phrase, a body whose figure slots (`_SLOT`) are its targets, and its units."""

    title: str
    body: str
    units: str

    @property
    def targets(self) -> int:
        """How many quantitative targets the item carries (one per figure slot)."""
        return len(_SLOT.findall(self.body))

    def text(self, rng: random.Random) -> str:
        """The body with every slot filled, left to right, from `rng`."""
        return _SLOT.sub(lambda slot: _draw(slot, rng), self.body)


_BANK_TABLE = """\
加快中小学幼儿园建设 | 实施学位扩容工程，新增学位{800..6000/100}个，新建公办幼儿园{2..9}所，改扩建中小学{3..15}所。6月底前完成项目开工审批。 | 责任单位：发展规划科、基础教育科
推进学前教育普及普惠 | 普惠性幼儿园覆盖率达到{80..95}%以上，公办园在园幼儿占比达到{50..70}%，认定普惠性民办幼儿园{5..40}所。 | 责任单位：学前教育科、基础教育科
深化集团化办学 | 新组建教育集团{3..12}个，城乡学校共同体覆盖乡村学校{20..90}所，培育市级优质集团{2..8}个。 | 责任单位：基础教育科、教育督导室
实施教师能力提升工程 | 培训教师不少于{2000..9000/100}人次，遴选市级名师工作室{10..40}个，培养骨干教师{100..600/10}名。10月底前完成新教师岗前培训。 | 牵头单位：教师工作科；配合单位：教师发展中心
推进教师交流轮岗 | 交流轮岗教师比例不低于{10..20}%，骨干教师交流比例不低于{15..30}%，新招聘教师{200..900/10}名。 | 责任单位：人事科、教师工作科
建设智慧校园 | 投入资金{0.2..3.9}亿元，建成{5..20}所智慧校园示范校，更新多媒体教室{200..1500/10}间。12月底前完成验收。 | 责任单位：教育技术装备中心、计划财务科
开展人工智能教育试点 | 确定试点学校{10..40}所，开设人工智能课程{20..80}门，组织师生竞赛{3..12}场。 | 责任单位：教育技术装备中心、基础教育科
筑牢校园安全防线 | 中小学幼儿园专职保安配备率达到{95..100}%，组织应急演练不少于{2..6}次，排查整改隐患{50..400}项。 | 责任单位：安全稳定科、各县区教育局
加强学生体质健康管理 | 学生体质健康测试合格率达到{90..97}%以上，近视率下降{1..3}个百分点，建设标准化运动场{5..25}座。 | 责任单位：体卫艺科
发展职业教育 | 建设市级品牌专业{5..20}个，校企合作企业达到{80..300}家，培养技能人才{2000..8000/100}人。 | 责任单位：职业教育科、发展规划科
办好特殊教育 | 适龄残疾儿童少年入学率达到{95..99}%以上，建设融合教育资源教室{10..40}间，开展送教上门{300..1500/10}人次。 | 责任单位：基础教育科、特殊教育指导中心
推进劳动教育 | 建设劳动教育实践基地{5..25}个，开设劳动课程{20..120}门，评选劳动教育特色学校{5..30}所。 | 责任单位：基础教育科、德育科
加强心理健康教育 | 专职心理健康教师配备率达到{85..100}%，建设心理辅导室{30..150}间，开展心理健康讲座{50..300}场。 | 责任单位：德育科、体卫艺科
推进课后服务提质 | 课后服务覆盖率达到{95..100}%，开发课后服务课程{50..400}门，引进校外优质资源{10..60}项。 | 责任单位：基础教育科、校外教育中心
扩大优质高中资源 | 新增普通高中学位{500..3000/50}个，创建省级优质高中{1..5}所，普通高中毛入学率达到{92..99}%以上。 | 责任单位：基础教育科、发展规划科
建设书香校园 | 新增图书{5000..60000/500}册，建成阅读示范校{10..40}所，举办读书活动{20..120}场。 | 责任单位：德育科、教育技术装备中心
改善农村办学条件 | 改造农村薄弱学校{10..60}所，新建教师周转宿舍{50..400}套，配备校车{10..80}台。 | 责任单位：发展规划科、计划财务科
推进语言文字工作 | 普通话培训测试{2000..9000/100}人次，创建语言文字规范化示范校{5..25}所，开展经典诵读活动{10..60}场。 | 责任单位：语言文字工作办公室
加强科学教育 | 建设科学教育特色学校{5..30}所，配备专职科学教师{50..300}名，开展科普活动{20..150}场。 | 责任单位：基础教育科、教育科学研究院
促进家校社协同育人 | 建设家长学校{50..300}所，开展家庭教育指导服务{100..600}场，培训家庭教育指导师{50..300}名。 | 责任单位：德育科、关心下一代工作委员会
推进教育督导改革 | 开展责任督学挂牌督导{200..900}次，完成县域义务教育质量监测{2..8}个，培训督学{100..500}人次。 | 责任单位：教育督导室
实施营养改善计划 | 受益学生达到{2..20}万人，建设标准化学校食堂{10..60}个，食品安全抽检{100..600}批。 | 责任单位：体卫艺科、计划财务科
推进绿色学校创建 | 创建绿色学校{10..60}所，建设节水型校园{5..30}所，更换节能灯具{1000..9000/100}套。 | 责任单位：发展规划科、教育技术装备中心
加强国防教育 | 建设国防教育特色学校{3..15}所，开展国防教育活动{20..80}场，组织学生军训{3000..20000/100}人。 | 责任单位：德育科、体卫艺科
加强师德师风建设 | 开展师德专题培训{10..60}场，评选师德标兵{20..100}名。对违规行为“零容忍”。 | 责任单位：教师工作科、人事科
深化中小学课程改革 | 建设精品课程{30..200}门，开展教学视导{4..20}次。秋季学期前完成课程方案修订。 | 责任单位：基础教育科、教育科学研究院
落实教育经费投入 | 投入教育专项资金{0.2..3.9}亿元，完成项目绩效评价{20..120}项。确保教育支出只增不减。 | 责任单位：计划财务科
推进“双减”工作 | 压减学科类校外培训机构{5..60}家，开展联合检查{6..24}次。 | 责任单位：校外教育培训监管科、基础教育科
提升教研水平 | 立项市级教研课题{30..150}项，举办教学观摩活动{10..50}场。 | 责任单位：教育科学研究院
加强学校美育 | 建设艺术特色学校{5..30}所，举办学生艺术展演{3..15}场。 | 责任单位：体卫艺科
规范民办教育 | 完成民办学校年检{20..120}所，开展专项检查{2..8}次。 | 责任单位：民办教育管理科
推进教育数字资源建设 | 建设数字教育资源{500..5000/50}条，录制名师课堂{100..800/10}节。 | 责任单位：教育技术装备中心
加强校园食品安全 | 食堂“互联网+明厨亮灶”覆盖率达到{90..100}%，组织食品安全培训{5..30}场。 | 责任单位：体卫艺科、安全稳定科
做好招生考试工作 | 组织各类考试{10..40}场，培训考务人员{500..3000/50}人次。确保考试安全平稳。 | 责任单位：市招办（市教育考试院）
推进学生资助工作 | 发放各类资助资金{0.2..3.9}亿元，资助家庭经济困难学生{1..9}万人次。 | 责任单位：学生资助管理中心
加强青少年法治教育 | 配备法治副校长{100..600}名，开展法治教育活动{50..300}场。 | 责任单位：德育科、政策法规科
推进终身教育 | 建设社区学校{10..80}所，开展老年教育培训{5000..30000/500}人次。 | 责任单位：职业教育科、社区教育指导中心
加强教育对外交流 | 缔结国际友好学校{3..15}所，举办交流活动{5..30}场。 | 责任单位：对外交流合作科
推进教育信访法治 | 化解信访积案{5..40}项，开展依法治校示范校创建{5..25}所。 | 责任单位：政策法规科、办公室
加强教育宣传 | 编发教育信息{100..600}篇，举办新闻发布会{2..10}场。 | 责任单位：办公室、宣传科
推进校园文化建设 | 创建文明校园{10..60}所，打造校园文化品牌{5..30}个。 | 责任单位：德育科
提升教育装备水平 | 新建实验室{20..150}间，配备计算机{500..5000/50}台。 | 责任单位：教育技术装备中心、计划财务科
加强学校卫生工作 | 建设标准化卫生室{20..120}个，配备校医{30..200}名。 | 责任单位：体卫艺科
推进青少年足球 | 创建足球特色学校{10..50}所，组织校园足球联赛{100..600}场。 | 责任单位：体卫艺科
加强档案管理 | 整理数字化档案{2000..20000/100}册，开展档案业务培训{2..10}场。 | 责任单位：办公室
推进节约型机关建设 | 公共机构人均能耗下降{1..5}%，组织节能宣传活动{3..12}场。 | 责任单位：计划财务科、办公室
加强干部队伍建设 | 选派挂职干部{5..30}名，组织干部专题培训{2..10}期。 | 责任单位：人事科、组织科
推进智慧教育平台应用 | 平台注册用户达到{5..60}万人，开展应用培训{10..60}场。 | 责任单位：教育技术装备中心
"""
"""One template a line, ``title | body | units``: 24 items with three figure slots, then 24 with two."""

BANK: tuple[TaskTemplate, ...] = tuple(TaskTemplate(*line.split(" | ")) for line in _BANK_TABLE.splitlines())

CHAPTER_TITLES = (
    "扩大优质教育资源供给",
    "建设高素质专业化教师队伍",
    "推进教育数字化转型",
    "促进学生全面发展",
    "深化教育综合改革",
    "强化教育发展保障",
    "提升教育治理水平",
)
CHINESE_NUMERALS = "一二三四五六七八九十"
TITLE_FORMS = (
    "{place}教育局{year}年教育工作要点",
    "{place}{year}年教育工作要点",
    "{place}教育局{year}年工作要点",
)


def place_of(index: int) -> str:
    """The place of plan `index`."""
    return PLACES[index % len(PLACES)]


def year_of(index: int) -> int:
    """The year of plan `index`."""
    return FIRST_YEAR + index // len(PLACES)


def plan_title(index: int) -> str:
    """The title of plan `index` (one of three wordings)."""
    return TITLE_FORMS[index % len(TITLE_FORMS)].format(place=place_of(index), year=year_of(index))


def _items(rng: random.Random) -> list[TaskTemplate]:
    three = [t for t in BANK if t.targets == 3]
    two = [t for t in BANK if t.targets == 2]
    chosen = rng.sample(three, TARGETS_PER_PLAN - 2 * TASKS_PER_PLAN)
    chosen += rng.sample(two, TASKS_PER_PLAN - len(chosen))
    rng.shuffle(chosen)
    return chosen


def plan_lines(index: int) -> list[str]:
    """The lines of plan `index` (0-based): title, lead, 5 chapters of 8 items, an indicator table."""
    rng = random.Random(index)
    place, year = place_of(index), year_of(index)
    lines = [
        plan_title(index),
        f"{year}年，全{place[-1]}教育系统要坚持稳中求进，聚焦重点领域和关键环节，加快推进教育现代化。",
    ]
    items = _items(rng)
    per_chapter = TASKS_PER_PLAN // CHAPTERS_PER_PLAN
    chapter_titles = rng.sample(CHAPTER_TITLES, CHAPTERS_PER_PLAN)
    for k, item in enumerate(items):
        if k % per_chapter == 0:
            c = k // per_chapter
            lines.append(f"{CHINESE_NUMERALS[c]}、{chapter_titles[c]}")
        lines.append(f"{k + 1}.{item.title}。{item.text(rng)}")
        lines.append(item.units)
    lines.append(f"附表：{place}{year}年教育事业发展主要指标")
    lines.append(f"指标\t单位\t{year - 1}年\t{year}年\t属性")
    lines.append(f"新增学位\t个\t{rng.randint(800, 5000)}\t{rng.randint(800, 5000)}\t预期性")
    lines.append(f"普惠性幼儿园覆盖率\t%\t{rng.randint(75, 85)}\t{rng.randint(85, 95)}\t约束性")
    return lines


def plan_bytes(index: int) -> bytes:
    """Plan `index` as a UTF-8 text file."""
    return ("\n".join(plan_lines(index)) + "\n").encode("utf-8")


def write_plans(folder: str | Path, count: int, start: int = 0) -> list[Path]:
    """Write plans `start` … `start + count - 1` as ``plan-00000.txt`` … into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"plan-{i:05d}.txt"
        path.write_bytes(plan_bytes(i))
        paths.append(path)
    return paths
