"""The kinds of subject that travel the one workflow (ARCHITECTURE 14), and what each one needs.

A quarterly proposal, an immediate demotion, a 专卖管理员 level applied for (申报) and a management
post won in a selection (竞聘) all go through the same routes, steps, notices, objections and
`apply-due`. A channel is a kind of Proposal plus the few things that differ:

- the words its notice titles use;
- who publishes its notices and who rules on objections to them (rights of org.authority);
- what taking effect does: a rank or level change written to the rank history (the built-in kinds),
  or the channel's own effect — a function the channel registers, called by `apply_due` in the
  same transaction with the proposals of that kind that are due.

A new channel registers itself (its AppConfig.ready calls `register`); this module never imports
the channels, so the arrows keep pointing down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from jinjie.evaluations.models import Proposal, ProposalKind
from jinjie.people.models import RankChangeSource
from jinjie.rulebooks.models import BookKind

# An effect gets the due proposals of its kind (locked, in id order) and the day; it writes what
# taking effect means for them and returns {proposal id: reason} for those it voids instead.
Effect = Callable[[list[Proposal], date], dict[int, str]]


@dataclass(frozen=True)
class Channel:
    kind: str
    notice_subject: str  # "关于张三等同志{notice_subject}的公示"
    # The rule book whose `notice` settings (days, counting) apply to its notices; when that book
    # sets none, or there is no such book, the ladder book's (SPEC 2.4: 7 calendar days).
    notice_book: str | None = None
    publish_right: str = "notices.publish"
    resolve_right: str = "objections.resolve"
    # Taking effect changes the employee's rank (or 专卖管理员 level) with this source in the history …
    rank_source: str | None = None
    grants_level: bool = False  # … and grants the level as a qualification (申报)
    # … or does this instead (a channel whose subject is not a rank).
    effect: Effect | None = None
    # The notice's wording (approvals.notice_pdf): its opening ({issuer}: the unit, {count}), the
    # heads of the from/to columns (SPEC 3.1: a 专卖管理员 notice lists the level, not a rank), and
    # who signs it ({issuer}).
    notice_intro: str = (
        "根据职级评定标准，经{issuer}考评委员会审议，拟对以下{count}名同志的职级予以晋升。为广泛听取意见、接受监督，现予以公示。"
    )
    notice_columns: tuple[str, str] = ("原职级", "拟晋升职级")
    notice_signature: str = "{issuer}考评委员会"


_CHANNELS: dict[str, Channel] = {
    ProposalKind.EVALUATION: Channel(ProposalKind.EVALUATION, "职级晋升", rank_source=RankChangeSource.PROPOSAL),
    ProposalKind.IMMEDIATE: Channel(ProposalKind.IMMEDIATE, "职级调整", rank_source=RankChangeSource.IMMEDIATE),
    ProposalKind.MONOPOLY: Channel(
        ProposalKind.MONOPOLY, "专卖管理员等级晋升", rank_source=RankChangeSource.GRANT, grants_level=True,
        notice_intro=(
            "根据专卖管理员等级申报条件，经{issuer}考评委员会审议，拟对以下{count}名同志的专卖管理员等级予以认定。"
            "为广泛听取意见、接受监督，现予以公示。"
        ),
        notice_columns=("原等级", "拟取得等级"),
        notice_book=BookKind.MONOPOLY,
    ),
}


def register(channel: Channel) -> None:
    """A channel app declares its kind once, at start-up (idempotent for the same declaration)."""
    if channel.rank_source is None and channel.effect is None:
        raise ValueError(f"channel {channel.kind}: taking effect must change a rank or run an effect")
    _CHANNELS[channel.kind] = channel


def channel_of(kind: str) -> Channel:
    try:
        return _CHANNELS[kind]
    except KeyError:
        raise LookupError(f"没有登记的事项类别：{kind}") from None


def channels() -> tuple[Channel, ...]:
    return tuple(_CHANNELS.values())
