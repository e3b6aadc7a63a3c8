"""The canonical sample document: 示例市教育局 2024年教育工作要点 (fictional, written for eduplan).

Kept as structured data (cover notice, chapters, items, an indicator table) so that the builders in
`eduplan.samples.build` can render it with typed numbers or with Word automatic numbering, and so
that tests know exactly which lines a reader must give back.  Item numbers continue across chapters
(1. 2. … 11.), as in most 工作要点.  Every figure, unit and name here is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE_NUMERALS = "一二三四五六七八九十"
SAMPLE_YEAR = 2024
"""The year the sample is written for; `for_year` moves any line of it to another year."""
_YEARS = re.compile(r"202[34]")


def for_year(text: str, year: int = SAMPLE_YEAR) -> str:
    """A piece of the sample moved from 2024 to `year` (its 2023 baselines become `year - 1`)."""
    if year == SAMPLE_YEAR:
        return text
    return _YEARS.sub(lambda m: str(year if m.group() == "2024" else year - 1), text)


@dataclass(frozen=True)
class SampleItem:
    """A numbered item (工作任务): a lead phrase ending at the first 。, more sentences, a units line."""

    title: str
    body: str
    units: str

    @property
    def text(self) -> str:
        """The item's paragraph without its number: lead phrase, then the rest."""
        return f"{self.title}。{self.body}"


@dataclass(frozen=True)
class SampleChapter:
    """A top-level section (一、…) and its items."""

    title: str
    items: tuple[SampleItem, ...]


# -- cover notice (印发通知) ------------------------------------------------------------------
ISSUER_HEADER = "示例市教育局文件"
DOC_NUMBER = "示教发〔2024〕3号"
NOTICE_TITLE = "中共示例市委教育工作委员会 示例市教育局关于印发《示例市教育局2024年教育工作要点》的通知"
RECIPIENTS = "各区县教育局，局直属各单位："
NOTICE_BODY = (
    "现将《示例市教育局2024年教育工作要点》印发给你们，请结合实际认真贯彻落实。"
    "各单位要对照要点细化工作举措，明确责任人和时间节点，于每季度最后一个月的25日前"
    "将工作进展情况报送市教育局办公室。"
)
ISSUERS = ("中共示例市委教育工作委员会", "示例市教育局")
ISSUE_DATE = "2024年2月20日"

# -- the plan --------------------------------------------------------------------------------
PLAN_TITLE = "示例市教育局2024年教育工作要点"
LEAD = (
    "2024年是全面落实教育强市建设规划的关键之年。全市教育系统要坚持以人民为中心的发展思想，"
    "坚持稳中求进、守正创新，聚焦学位供给、教师队伍、数字赋能和安全保障等重点领域，"
    "着力解决群众急难愁盼问题，加快推进教育现代化，努力办好人民满意的教育。"
)

CHAPTERS: tuple[SampleChapter, ...] = (
    SampleChapter(
        "扩大优质教育资源供给",
        (
            SampleItem(
                "加快中小学幼儿园建设",
                "实施学位扩容攻坚行动，新增学位3200个，其中幼儿园1200个、小学2000个。"
                "统筹推进新建、改扩建项目，6月底前完成全部项目开工审批，确保秋季学期按期投入使用。",
                "责任单位：发展规划科、基础教育科",
            ),
            SampleItem(
                "推进学前教育普及普惠",
                "落实普惠性民办幼儿园认定和扶持政策，普惠性幼儿园覆盖率达到85%以上。"
                "年内新建公办幼儿园2—3所，规范民办幼儿园收费行为。"
                "持续开展幼儿园保教质量评估，遏制“小学化”倾向。",
                "责任单位：学前教育科、基础教育科",
            ),
            SampleItem(
                "促进义务教育优质均衡发展",
                "深化集团化办学和城乡学校共同体建设，新组建教育集团5个。"
                "启动义务教育优质均衡发展区县创建，9月底前完成省级督导评估申报工作。",
                "责任单位：基础教育科、教育督导室",
            ),
        ),
    ),
    SampleChapter(
        "建设高素质专业化教师队伍",
        (
            SampleItem(
                "加强师德师风建设",
                "将师德表现作为教师资格定期注册、职称评审和评优评先的首要标准。"
                "开展师德师风专项检查，对有偿补课等违规行为“零容忍”。",
                "责任单位：教师工作科、人事科",
            ),
            SampleItem(
                "实施教师能力素质提升工程",
                "分层分类开展全员培训，培训教师不少于5000人次。"
                "遴选市级名师工作室20个，发挥骨干教师示范引领作用。"
                "10月底前完成新教师岗前培训。",
                "牵头单位：教师工作科；配合单位：市教育科学研究院、各区县教育局",
            ),
            SampleItem(
                "深化教师管理综合改革",
                "推进中小学教师“县管校聘”管理改革，年内交流轮岗教师比例不低于15%。"
                "完善中小学教师绩效工资分配办法，向一线教师和班主任倾斜。",
                "责任单位：人事科、教师工作科",
            ),
        ),
    ),
    SampleChapter(
        "推进教育数字化转型",
        (
            SampleItem(
                "建设智慧校园",
                "投入资金1.2亿元，更新改造中小学多媒体教室和校园网络。"
                "年内建成10所智慧校园示范校，带动全市中小学数字化水平整体提升。",
                "责任单位：教育技术装备中心、计划财务科",
            ),
            SampleItem(
                "提升师生数字素养",
                "开展中小学人工智能教育试点，确定试点学校30所。"
                "组织教师信息技术应用能力培训，12月底前完成年度培训任务。",
                "责任单位：教育技术装备中心、基础教育科",
            ),
        ),
    ),
    SampleChapter(
        "强化教育发展保障",
        (
            SampleItem(
                "落实教育经费投入",
                "确保一般公共预算教育支出逐年只增不减。加强经费使用绩效管理，6月底前完成上年度项目绩效评价。",
                "责任单位：计划财务科",
            ),
            SampleItem(
                "筑牢校园安全防线",
                "健全校园安全风险防控体系，中小学幼儿园专职保安配备率达到100%。"
                "开展防溺水、交通安全和消防安全专项整治，年内组织应急演练不少于4次。",
                "责任单位：安全稳定科、各区县教育局",
            ),
            SampleItem(
                "加强督导评估和考核",
                "建立重点工作台账，实行月调度、季通报。对推进不力的单位进行督办，督办结果纳入年度目标考核。",
                "责任单位：教育督导室、办公室",
            ),
        ),
    ),
)

# -- the indicator table (附表) and the closing 版记 line ---------------------------------
TABLE_CAPTION = "附表：示例市2024年教育事业发展主要指标"
INDICATOR_TABLE: tuple[tuple[str, ...], ...] = (
    ("指标", "单位", "2023年", "2024年", "属性"),
    ("新增中小学幼儿园学位", "个", "2800", "3200", "预期性"),
    ("普惠性幼儿园覆盖率", "%", "82", "85", "约束性"),
    ("教师培训", "人次", "4600", "5000", "预期性"),
    ("智慧校园示范校", "所", "6", "10", "预期性"),
)
CLOSING = "示例市教育局办公室 2024年2月20日印发"


def cover_lines() -> list[str]:
    """The cover notice (印发通知) as lines, before the plan title."""
    return [ISSUER_HEADER, DOC_NUMBER, NOTICE_TITLE, RECIPIENTS, NOTICE_BODY, *ISSUERS, ISSUE_DATE]


def chapter_number(index: int) -> str:
    """一 二 … for chapter 0, 1, … (the sample has fewer than ten chapters)."""
    return CHINESE_NUMERALS[index]


def numbered_items() -> list[tuple[int, SampleItem]]:
    """Every item with its number, numbers continuing across chapters (1, 2, … 11)."""
    out: list[tuple[int, SampleItem]] = []
    for chapter in CHAPTERS:
        for item in chapter.items:
            out.append((len(out) + 1, item))
    return out


def table_lines() -> list[str]:
    """The indicator table, one tab-separated line per row."""
    return ["\t".join(row) for row in INDICATOR_TABLE]


def sample_lines(year: int = SAMPLE_YEAR) -> list[str]:
    """The whole document as lines with typed numbering (一、 and 1.): what every reader must yield;
    `year` moves it to another year (the demo's plan is for the current one)."""
    lines = [*cover_lines(), PLAN_TITLE, LEAD]
    number = 0
    for c, chapter in enumerate(CHAPTERS):
        lines.append(f"{chapter_number(c)}、{chapter.title}")
        for item in chapter.items:
            number += 1
            lines.append(f"{number}.{item.text}")
            lines.append(item.units)
    lines.append(TABLE_CAPTION)
    lines.extend(table_lines())
    lines.append(CLOSING)
    return [for_year(line, year) for line in lines]


SAMPLE_TEXT = "\n".join(sample_lines()) + "\n"
