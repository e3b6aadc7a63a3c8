"""A second sample document: 示例市“十N五”教育事业发展规划, a short fictional five-year plan.

Five chapters (一、) of numbered tasks ((一) sections), a 专栏 with the indicator table (base year
and target year, 预期性/约束性), and two 专栏 of key projects (重点工程), numbered and not.  The period
is a parameter so that the demo shows the five-year plan in force today (2021–2025 is 十四五,
2026–2030 十五五).  Every figure, unit and name here is invented for eduplan.
"""

from __future__ import annotations

CHINESE_DIGITS = "零一二三四五六七八九"
FIRST_TERM_START = 2021
"""The first year of 十四五; each later five-year plan starts five years on."""


def term_of(year: int) -> tuple[str, int, int]:
    """The five-year plan a year falls in: (十四五-style name, first year, last year)."""
    n = 14 + (year - FIRST_TERM_START) // 5
    start = FIRST_TERM_START + 5 * (n - 14)
    name = f"十{CHINESE_DIGITS[n - 10]}五" if n > 10 else f"{CHINESE_DIGITS[n]}五"
    return name, start, start + 4


def five_year_title(year: int) -> str:
    """The title of the sample five-year plan in force in `year`."""
    return f"示例市“{term_of(year)[0]}”教育事业发展规划"


_TEMPLATE = """{title}

一、发展基础与面临形势
（一）“{previous}”发展成就
“{previous}”期间，全市新建改扩建学校96所，新增学位6.5万个，学前教育毛入园率达到92%。
（二）面临的形势
学龄人口结构变化、城镇化进程加快，对学位供给和教育质量提出新要求。
二、总体要求
（一）指导思想
坚持以人民为中心的发展思想，全面贯彻党的教育方针，落实立德树人根本任务。
（二）发展目标
到{end}年，基本建成现代化教育强市，各级各类教育普及水平和质量稳步提升。
专栏1  “{term}”时期示例市教育事业发展主要指标
指标\t单位\t{base}年\t{end}年\t属性
普及水平
学前教育毛入园率\t%\t92\t96\t预期性
九年义务教育巩固率\t%\t98.8\t99.3\t约束性
高中阶段教育毛入学率\t%\t96\t98\t预期性
教师队伍
中小学专任教师中研究生学历教师占比\t%\t13\t20\t预期性
条件保障
中小学智慧校园建设达标率\t%\t60\t90\t约束性
注：指标值为全市平均水平。
三、主要任务
（一）扩大优质教育资源供给
实施学位供给攻坚行动，新建改扩建中小学幼儿园48所，新增学位4.2万个。
责任单位：发展规划科、基础教育科
（二）推进学前教育普及普惠
完善学前教育公共服务体系，公办园在园幼儿占比达到55%以上。
责任单位：学前教育科
（三）促进义务教育优质均衡
深化集团化办学，城乡学校共同体实现全覆盖。
责任单位：基础教育科、教育督导室
（四）推动普通高中多样化特色发展
建成市级特色普通高中10所，推进综合高中试点。
责任单位：基础教育科
专栏2  学位扩容重点工程
1.示例市第二高级中学新校区建设项目。规划用地150亩，新增学位2400个。
2.示例市东湖幼儿园建设项目。新建幼儿园1所，新增学位360个。
3.示例市特殊教育学校改扩建项目。新增建筑面积8000平方米。
四、建设高素质专业化教师队伍
（一）加强师德师风建设
健全师德建设长效机制，师德考核覆盖全体教师。
责任单位：教师工作科
（二）实施名师名校长培养工程
培养市级名师150名、名校长50名，建设名师工作室30个。
牵头单位：教师工作科；配合单位：市教育科学研究院
（三）深化教师管理制度改革
全面推行“县管校聘”，义务教育教师交流轮岗比例每年不低于10%。
责任单位：人事科
专栏3  教师队伍建设工程
名师培养工程。每年遴选骨干教师80名，开展跟岗研修。
乡村教师支持计划。完善乡村教师生活补助和周转宿舍建设。
五、推进教育数字化与保障体系建设
（一）建设数字教育新基建
中小学智慧校园建设达标率达到90%，建成市级教育资源公共服务平台。
责任单位：教育技术装备中心
（二）提升师生数字素养
普及中小学人工智能教育，培训教师信息技术应用能力全覆盖。
责任单位：教育技术装备中心、市教育科学研究院
（三）加大教育经费投入
确保一般公共预算教育支出逐年只增不减，按在校学生人数平均的一般公共预算教育支出逐年只增不减。
责任单位：计划财务科
（四）筑牢校园安全防线
健全校园安全风险防控体系，中小学幼儿园“护校安园”达标率保持100%。
责任单位：安全稳定科
（五）完善督导评估体系
建立规划实施年度监测和中期评估制度，评估结果向社会公开。
责任单位：教育督导室、办公室
"""


def five_year_text(year: int) -> str:
    """The sample five-year plan in force in `year`, as plain text."""
    term, start, end = term_of(year)
    previous = term_of(start - 1)[0]
    return _TEMPLATE.format(
        title=five_year_title(year), term=term, previous=previous, base=start - 1, end=end
    )
