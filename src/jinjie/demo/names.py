"""Chinese personal names for the demo: a weighted surname (姓) and a one- or two-character given name (名).

The surname weights follow the published frequency order (王, 李, 张, 刘, 陈 … roughly in proportion);
the given-name characters are the common ones for each gender. A name is drawn from a `random.Random`,
so the same seed gives the same people.
"""

from __future__ import annotations

import random
from itertools import accumulate

# (surname, weight ≈ share of the population in ‰)
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71), ("李", 70), ("张", 68), ("刘", 54), ("陈", 46), ("杨", 32), ("黄", 25), ("赵", 23),
    ("吴", 21), ("周", 21), ("徐", 17), ("孙", 15), ("马", 15), ("朱", 14), ("胡", 13), ("郭", 12),
    ("何", 12), ("林", 12), ("高", 11), ("罗", 9), ("郑", 10), ("梁", 9), ("谢", 8), ("宋", 8),
    ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 7), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5),
    ("余", 5), ("杜", 5), ("叶", 5), ("程", 5), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 4), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3),
    ("韦", 3), ("付", 3), ("方", 3), ("白", 3), ("邹", 3), ("孟", 3), ("熊", 3), ("秦", 2),
    ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("侯", 2),
    ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2),
    ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("武", 2), ("戴", 2), ("孔", 1), ("汤", 1),
    ("庞", 1), ("樊", 1), ("兰", 1), ("殷", 1), ("施", 1), ("洪", 1), ("严", 1), ("葛", 1),
    ("欧阳", 0.5), ("诸葛", 0.1), ("上官", 0.1), ("司马", 0.1),
)

MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国文志东海峰晨博亮成永康江瑞新立"
    "卫德忠振兴荣泽睿轩昊然豪晓子一天家嘉思毅诚锋彬坤庆雄臣远航"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞燕玲婷雪慧莹洁琳颖倩晶红梅萍丹璐佳欣怡悦琪瑶雯婕蕾露月彤萱妍茜媛晓小雅诗梦雨"
    "思文秀春金美淑惠桂兰凤玉珍洋岚清蓉薇茹"
)


class NameGenerator:
    """Draws Chinese names from `rng`; deterministic for a given seed."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._surnames = [s for s, _ in SURNAMES]
        self._cum = list(accumulate(w for _, w in SURNAMES))

    def surname(self) -> str:
        return self._rng.choices(self._surnames, cum_weights=self._cum)[0]

    def given(self, gender: str) -> str:
        chars = FEMALE_CHARS if gender == "女" else MALE_CHARS
        rng = self._rng
        first = chars[rng.randrange(len(chars))]
        if rng.random() < 0.3:  # one-character given names: common in the older generations
            return first
        second = chars[rng.randrange(len(chars))]
        if second == first and rng.random() < 0.8:  # 叠字 (婷婷) exists but is not that common
            second = chars[rng.randrange(len(chars))]
        return first + second

    def name(self, gender: str) -> str:
        return self.surname() + self.given(gender)
