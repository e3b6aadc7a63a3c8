"""Fictional plans for comparison (对标): two years of 样例市, one year of 样例县, a five-year plan.

Written for eduplan's tests and demos; every place, name and figure is invented.  From 样例市 2023
to 2024: 劳动教育, 心理健康, 学位 and 课后服务 carry over (reworded), 校园足球 is dropped, 人工智能教育 is
new.  样例县 writes its own 劳动教育 and 体育, and a 特色 task (研学 on its tea farms) nobody else has.
The five-year plan has 专栏 key projects and an indicator table; its text quotes a 2025 figure that
disagrees with the table (a consistency finding) and the table has a target below its base year.
`COMPARE_PLANS` maps a file name to its text; `compare_bytes(name)` gives the UTF-8 file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eduplan.db.engine import SessionFactory

YANGLI_CITY_2023 = """样例市2023年教育工作要点
一、落实立德树人根本任务
1.加强劳动教育。建设中小学劳动教育实践基地20个，制定家务劳动清单，每学年设立劳动周。
2.推广校园足球。新增全国青少年校园足球特色学校10所，举办市长杯校园足球联赛。
3.关注学生心理健康。配齐心理健康教育专职教师，建立心理危机干预机制。
二、办好人民满意的基础教育
4.扩大学位供给。新建改扩建中小学幼儿园12所，新增学位9000个。
5.做好课后服务。实现义务教育学校课后服务全覆盖，丰富课后服务内容。
三、强化教育保障
6.加大教育经费投入。落实生均公用经费标准，全年教育投入25亿元。
"""

YANGLI_CITY_2024 = """样例市2024年教育工作要点
一、落实立德树人根本任务
1.深化劳动教育。新建中小学劳动教育实践基地15个，落实家务劳动清单和劳动周制度。
2.关注学生心理健康。配齐心理健康教育专职教师，完善心理危机干预机制。
3.开展人工智能教育。在全市中小学开设人工智能课程，建设人工智能实验室30间。
二、办好人民满意的基础教育
4.持续扩大学位供给。新建改扩建中小学幼儿园10所，新增学位8000个。
5.提升课后服务质量。义务教育学校课后服务全覆盖，引进优质资源丰富课后服务内容。
三、强化教育保障
6.加大教育经费投入。落实生均公用经费标准，全年教育投入2.8亿元。
"""

YANGLI_COUNTY_2024 = """样例县2024年教育工作要点
一、五育并举
1.实施劳动教育提升行动。依托农场建设县级劳动教育实践基地3个，开展农耕体验和劳动实践。
2.推进阳光体育运动。保障学生每天校内体育活动时间不少于1小时，学生体质健康优良率达到55%。
3.打造茶山研学品牌。依托高山茶园开发采茶制茶研学课程8门，接待县外研学学生5000人次。
二、教育保障
4.推进义务教育优质均衡。新建学校3所，新增学位2400个，普惠性幼儿园覆盖率达到85%。
5.建设智慧校园。建设县教育数据中心，实现校园网全覆盖。
"""

YANGLI_FIVE_YEAR = """样例市“十四五”教育事业发展规划
一、总体要求
（一）发展目标
到2025年，学前教育毛入园率达到93%，基本建成现代化教育强市。
专栏1  “十四五”时期教育事业发展主要指标
指标\t单位\t2020年\t2025年\t属性
学前教育毛入园率\t%\t90\t95\t预期性
九年义务教育巩固率\t%\t99\t98.5\t约束性
二、主要任务
（一）扩大优质教育资源供给
实施学位供给攻坚行动，新建改扩建中小学幼儿园40所。
专栏2  学位扩容重点工程
1.样例市第二高级中学新校区建设项目。新增学位3000个。
2.样例市实验幼儿园分园建设项目。新建幼儿园1所，新增学位360个。
（二）加强劳动教育
建设市级劳动教育实践基地10个，开齐开足劳动教育课程。
"""

COMPARE_PLANS: dict[str, str] = {
    "样例市2023年教育工作要点.txt": YANGLI_CITY_2023,
    "样例市2024年教育工作要点.txt": YANGLI_CITY_2024,
    "样例县2024年教育工作要点.txt": YANGLI_COUNTY_2024,
    "样例市十四五教育事业发展规划.txt": YANGLI_FIVE_YEAR,
}


def compare_bytes(name: str) -> bytes:
    """The UTF-8 text file of one of `COMPARE_PLANS`."""
    return COMPARE_PLANS[name].encode("utf-8")


def import_compare_plans(sessions: SessionFactory) -> dict[str, int]:
    """Import the four plans into the registry; {"city2023", "city2024", "county", "five_year"} → plan id."""
    from eduplan.services.registry import import_document

    keys = ("city2023", "city2024", "county", "five_year")
    return {
        key: import_document(sessions, compare_bytes(name), name).plan_id
        for key, name in zip(keys, COMPARE_PLANS, strict=True)
    }
