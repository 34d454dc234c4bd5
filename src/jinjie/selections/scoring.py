"""A selection's score sheets as they stand: the latest entry of each sheet, the three scores per
candidate and the ranking (rules.selection), read in five queries whatever the number of
candidates and judges. Used by the services (who passed the 笔试, who is inspected) and by the
dossier, the exports and the API alike, so they always agree."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from jinjie.rules.selection import (
    NOTE_FAILED_REVIEW,
    Ballots,
    Candidate,
    Scheme,
    Standing,
    ballot_score,
    parse_scheme,
    rank,
    speech_score,
)

from .models import (
    Application,
    BallotEntry,
    Inspection,
    Post,
    Review,
    ScoreEntry,
    Selection,
    SelectionState,
    SelectionTransition,
    Stage,
)

NOTE_PENDING_REVIEW = "待资格审查"


def marks_sealed(selection: Selection) -> bool:
    """While the 演讲答辩 runs, no judge's mark is shown to anyone but the judge — nor anything
    computed from the marks (the mean of one judge's mark is that mark): the dossier, the exports
    and the API read a sealed scoreboard until HR marks the speech complete."""
    from .workflow import STAGES, index

    if selection.state == SelectionState.CANCELLED:
        return not SelectionTransition.objects.filter(selection=selection, event="complete_speech").exists()
    return index(selection.state) <= index(STAGES["speech"])


@dataclass
class Scoreboard:
    selection: Selection
    scheme: Scheme
    posts: list[Post]
    applications: list[Application]  # the active ones (not withdrawn), by post and id
    written: dict[int, ScoreEntry] = field(default_factory=dict)
    speech_final: dict[int, ScoreEntry] = field(default_factory=dict)
    marks: dict[int, dict[int, ScoreEntry]] = field(default_factory=dict)  # application → judge → latest mark
    democratic_final: dict[int, ScoreEntry] = field(default_factory=dict)
    ballots: dict[int, BallotEntry] = field(default_factory=dict)
    inspections: dict[int, Inspection] = field(default_factory=dict)
    entries: list[ScoreEntry] = field(default_factory=list)  # every entry, oldest first (the dossier)
    ballot_entries: list[BallotEntry] = field(default_factory=list)
    inspection_entries: list[Inspection] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)
    sealed: bool = False  # the judges' marks count for nothing shown (see marks_sealed)

    @property
    def by_application(self) -> dict[int, Standing]:
        return {s.key: s for s in self.standings}

    def speech(self, app_id: int) -> Decimal | None:
        marks = self.marks.get(app_id)
        if marks and self.sealed:
            return None
        if marks:
            return speech_score([m.score for m in marks.values()], drop_extremes_from=self.scheme.drop_extremes_from)
        final = self.speech_final.get(app_id)
        return final.score if final else None

    def democratic(self, app_id: int) -> Decimal | None:
        ballots = self.ballots.get(app_id)
        if ballots is not None:
            counts = Ballots(ballots.excellent, ballots.competent, ballots.basic, ballots.incompetent)
            return ballot_score(counts, self.scheme.ballot_points)
        final = self.democratic_final.get(app_id)
        return final.score if final else None

    def passed_written(self, app_id: int) -> bool:
        entry = self.written.get(app_id)
        return entry is not None and entry.score >= self.scheme.pass_line

    def inspected(self, app_id: int) -> bool:
        standing = self.by_application.get(app_id)
        return standing is not None and standing.inspect

    def conclusion(self, app_id: int) -> str | None:
        inspection = self.inspections.get(app_id)
        return inspection.conclusion if inspection else None


def applications_of(selection: Selection) -> list[Application]:
    """Every application of a selection, withdrawn ones too, in the dossier's order."""
    return list(
        Application.objects.filter(selection=selection)
        .select_related("employee", "employee__org_unit", "post")
        .order_by("post__order", "post_id", "id")
    )


def scoreboard(selection: Selection, *, sealed: bool = False, applications: list[Application] | None = None) -> Scoreboard:
    """The sheets of `selection`; `sealed` (for what others read during the speech, marks_sealed)
    leaves the judges' marks out of the 演讲答辩 score and so out of the ranking. `applications`:
    every application of the selection when the caller has read them already (applications_of)."""
    scheme = parse_scheme(selection.scheme or None)
    posts = list(Post.objects.filter(selection=selection).order_by("order", "id"))
    everyone = applications_of(selection) if applications is None else applications
    apps = [a for a in everyone if a.withdrawn_at is None]
    board = Scoreboard(selection, scheme, posts, apps, sealed=sealed)
    active = {a.pk for a in apps}
    for entry in ScoreEntry.objects.filter(application__selection=selection).select_related(
        "judge", "entered_by", "application__employee"
    ).order_by("id"):
        board.entries.append(entry)
        if entry.application_id not in active:
            continue
        if entry.stage == Stage.WRITTEN:
            board.written[entry.application_id] = entry
        elif entry.stage == Stage.SPEECH and entry.judge_id is not None:
            board.marks.setdefault(entry.application_id, {})[entry.judge_id] = entry
        elif entry.stage == Stage.SPEECH:
            board.speech_final[entry.application_id] = entry
        else:
            board.democratic_final[entry.application_id] = entry
    for ballots in BallotEntry.objects.filter(application__selection=selection).select_related(
        "entered_by", "application__employee"
    ).order_by("id"):
        board.ballot_entries.append(ballots)
        if ballots.application_id in active:
            board.ballots[ballots.application_id] = ballots
    for inspection in Inspection.objects.filter(application__selection=selection).select_related(
        "recorded_by", "application__employee"
    ).order_by("id"):
        board.inspection_entries.append(inspection)
        if inspection.application_id in active:
            board.inspections[inspection.application_id] = inspection
    candidates = []
    for app in apps:
        written = board.written.get(app.pk)
        candidates.append(
            Candidate(
                key=app.pk,
                post=app.post_id,
                written=written.score if written else None,
                speech=board.speech(app.pk),
                democratic=board.democratic(app.pk),
                qualified=app.review == Review.CONFIRMED,
            )
        )
    standings = rank(candidates, places={p.pk: p.places for p in posts}, scheme=scheme)
    pending = {a.pk for a in apps if a.review == Review.PENDING}
    board.standings = [
        replace(s, note=NOTE_PENDING_REVIEW) if s.key in pending and s.note == NOTE_FAILED_REVIEW else s
        for s in standings
    ]
    return board
