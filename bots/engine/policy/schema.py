"""The policy file schema: typed, strict (unknown keys are errors), versioned."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bots.engine.model import Category, Mood, Severity

SCHEMA_VERSION = 1
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Kind = Literal["phrase", "pattern", "require", "after_hours", "forecast"]
Exception_ = Literal["negated", "hedged", "quoted"]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class OfficeHoursSpec(Strict):
    timezone: NonEmpty
    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 30)
    holidays: tuple[dt.date, ...] = ()

    @model_validator(mode="after")
    def _start_before_end(self) -> OfficeHoursSpec:
        if self.start >= self.end:
            raise ValueError("office_hours.start must be earlier than office_hours.end")
        if not self.days:
            raise ValueError("office_hours.days must name at least one day")
        return self


class LimitsSpec(Strict):
    max_draft_chars: int = Field(20_000, ge=100, le=1_000_000)


class ExceptionsSpec(Strict):
    """Cue phrases that turn a match into a non-finding when they come just before it."""

    negation: tuple[NonEmpty, ...] = ()
    hedge: tuple[NonEmpty, ...] = ()
    #: Phrases that look like negation but reassure ("don't worry"): never a negation cue.
    reassurance: tuple[NonEmpty, ...] = ()
    window_words: int = Field(6, ge=1, le=30)


class MoodSpec(Strict):
    """Lexicons for reading the client's mood; the strongest mood with evidence wins."""

    abusive: tuple[NonEmpty, ...] = ()
    angry: tuple[NonEmpty, ...] = ()
    frustrated: tuple[NonEmpty, ...] = ()
    anxious: tuple[NonEmpty, ...] = ()
    patterns: dict[Literal["abusive", "angry", "frustrated", "anxious"], tuple[NonEmpty, ...]] = {}
    #: Weak cues ("what if", "deadline"): a mood needs `hints_needed` of them to count.
    hints: dict[Literal["abusive", "angry", "frustrated", "anxious"], tuple[NonEmpty, ...]] = {}
    hints_needed: int = Field(2, ge=1, le=10)
    #: Cues that cancel a mood word right after them ("no worries", "not urgent").
    negation: tuple[NonEmpty, ...] = ()
    #: Everyday phrases that merely contain a mood word ("as far as that is concerned").
    ignore: tuple[NonEmpty, ...] = ()


class ExampleSpec(Strict):
    draft: NonEmpty
    client: str | None = None
    at: dt.datetime | None = None


def _example(value: Any) -> Any:
    return {"draft": value} if isinstance(value, str) else value


class ExamplesSpec(Strict):
    flag: tuple[ExampleSpec, ...] = ()
    pass_: tuple[ExampleSpec, ...] = Field((), alias="pass")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("flag", "pass_", mode="before")
    @classmethod
    def _strings_are_drafts(cls, value: Any) -> Any:
        return [_example(v) for v in value] if isinstance(value, list) else value


class SuggestionSpec(Strict):
    """How the rewrite treats a sentence this rule flags: replace it, drop it, strike the
    flagged words out of it, or keep it."""

    replace: str | None = None
    template: str | None = None
    drop: bool = False
    strike: bool = False

    @model_validator(mode="after")
    def _one_action(self) -> SuggestionSpec:
        chosen = [self.replace is not None, self.template is not None, self.drop, self.strike]
        if sum(chosen) != 1:
            raise ValueError("a suggestion takes exactly one of: replace, template, drop, strike")
        return self


class WhenSpec(Strict):
    """Conditions on the context; a rule runs only when all that are given hold."""

    mood: tuple[Mood, ...] | None = None
    client_phrases: tuple[NonEmpty, ...] | None = None
    after_hours: bool | None = None


class ForecastSubjectsSpec(Strict):
    """Who a clause is about: the writer, the writer's side, the client, or anyone else."""

    writer: tuple[NonEmpty, ...] = Field(min_length=1)
    own_side: tuple[NonEmpty, ...] = ()
    client: tuple[NonEmpty, ...] = ()
    others: tuple[NonEmpty, ...] = ()
    things: tuple[NonEmpty, ...] = ()
    determiners: tuple[NonEmpty, ...] = ()
    own_work: tuple[NonEmpty, ...] = ()
    own_people: tuple[NonEmpty, ...] = ()
    external: tuple[NonEmpty, ...] = ()


class ForecastClausesSpec(Strict):
    """Words that end a clause (`breaks`), make the clause after them not an assertion
    (`conditions`), come before a verb that is not a present tense (`modals`), vouch for
    the clause after them (`vouches`: "I'll make sure the courier…"), or name an event a
    date in the sentence waits on (`hinges`: "once", "as soon as")."""

    breaks: tuple[NonEmpty, ...] = ()
    conditions: tuple[NonEmpty, ...] = ()
    modals: tuple[NonEmpty, ...] = ()
    vouches: tuple[NonEmpty, ...] = ()
    hinges: tuple[NonEmpty, ...] = ()


class ForecastReasonsSpec(Strict):
    """Why a finding is one, per case (Jinja; variables `subject` and `anchor`)."""

    date: NonEmpty
    outcome: NonEmpty
    needs_others: NonEmpty


class ForecastSpec(Strict):
    """The word classes a `forecast` rule reads sentence structure with (docs/detection.md)."""

    future: tuple[NonEmpty, ...] = Field(min_length=1)
    present: tuple[NonEmpty, ...] = ()
    be: tuple[NonEmpty, ...] = ()
    states: tuple[NonEmpty, ...] = ()
    locatives: tuple[NonEmpty, ...] = ()
    places: tuple[NonEmpty, ...] = ()
    decisions: tuple[NonEmpty, ...] = ()
    results: tuple[NonEmpty, ...] = ()
    remedies: tuple[NonEmpty, ...] = ()
    handled: tuple[NonEmpty, ...] = ()
    receive: tuple[NonEmpty, ...] = ()
    issued: tuple[NonEmpty, ...] = ()
    routine: tuple[NonEmpty, ...] = ()
    subjects: ForecastSubjectsSpec
    clauses: ForecastClausesSpec = ForecastClausesSpec()
    times: tuple[NonEmpty, ...] = Field(min_length=1)
    past: tuple[NonEmpty, ...] = ()
    reasons: ForecastReasonsSpec


class RuleSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]*$", max_length=80)]
    category: Category
    severity: Severity = "warning"
    kind: Kind
    message: NonEmpty
    why: NonEmpty
    enabled: bool = True
    mode: Literal["active", "shadow"] = "active"
    phrases: tuple[NonEmpty, ...] = ()
    patterns: tuple[NonEmpty, ...] = ()
    inflect: bool = True
    case_sensitive: bool = False
    within_sentences: int | None = Field(None, ge=1, le=50)
    when: WhenSpec | None = None
    unless: tuple[Exception_, ...] = ()
    unless_phrases: tuple[NonEmpty, ...] = ()
    suggestion: SuggestionSpec | None = None
    examples: ExamplesSpec = ExamplesSpec()
    forecast: ForecastSpec | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> RuleSpec:
        has_terms = bool(self.phrases or self.patterns)
        if self.kind == "phrase" and (not self.phrases or self.patterns):
            raise ValueError("a phrase rule needs `phrases` and takes no `patterns`")
        if self.kind == "pattern" and (not self.patterns or self.phrases):
            raise ValueError("a pattern rule needs `patterns` and takes no `phrases`")
        if self.kind == "require" and not has_terms:
            raise ValueError("a require rule needs `phrases` or `patterns` (any one must appear)")
        if self.kind == "after_hours" and has_terms:
            raise ValueError("an after_hours rule takes no `phrases` or `patterns`")
        if self.within_sentences is not None and self.kind != "require":
            raise ValueError("`within_sentences` only applies to require rules")
        if self.kind == "after_hours" and self.category != "after_hours":
            raise ValueError("an after_hours rule must have category after_hours")
        if self.kind == "forecast" and (has_terms or self.forecast is None):
            raise ValueError(
                "a forecast rule needs `forecast` and takes no `phrases` or `patterns`"
            )
        if self.kind != "forecast" and self.forecast is not None:
            raise ValueError("`forecast` only applies to forecast rules")
        return self


class ClientChannelSpec(Strict):
    """A conversation with clients in it, and who answers for it after hours."""

    platform: Literal["slack", "teams"]
    channel: NonEmpty  # Slack channel id, or Teams channel / conversation id
    name: str = ""  # how notes refer to it, e.g. "#acme-support"
    owners: tuple[NonEmpty, ...] = ()  # user ids; empty: the opted-in team members present


class PolicySpec(Strict):
    schema_: Literal[1] = Field(alias="schema")
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=60)]
    version: NonEmpty
    language: Literal["en", "pt"] = "en"
    description: str = ""
    admins: tuple[NonEmpty, ...] = ()
    #: Team or channel ids whose drafts always use one language, whatever the locale or text.
    team_languages: dict[NonEmpty, Literal["en", "pt"]] = {}
    office_hours: OfficeHoursSpec
    client_channels: tuple[ClientChannelSpec, ...] = ()
    limits: LimitsSpec = LimitsSpec()
    exceptions: ExceptionsSpec = ExceptionsSpec()
    mood: MoodSpec = MoodSpec()
    templates: dict[NonEmpty, str] = {}
    rules: tuple[RuleSpec, ...]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


# --------------------------------------------------------------------------- cascade (overrides)


class AppliesToSpec(Strict):
    """Where a child policy serves: Slack/Teams team ids and channel ids (channel wins)."""

    teams: tuple[NonEmpty, ...] = ()
    channels: tuple[NonEmpty, ...] = ()


class RuleOverrideSpec(Strict):
    """How a child policy changes one inherited rule; absent keys keep the parent's value."""

    enabled: bool | None = None
    severity: Severity | None = None
    mode: Literal["active", "shadow"] | None = None
    phrases_add: tuple[NonEmpty, ...] = Field((), alias="phrases+")
    phrases_remove: tuple[NonEmpty, ...] = Field((), alias="phrases-")
    message: NonEmpty | None = None
    why: NonEmpty | None = None
    examples: ExamplesSpec | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class OverrideSpec(Strict):
    """A child policy file: `extends` a parent by name and changes only what it names."""

    schema_: Literal[1] = Field(alias="schema")
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=60)]
    version: NonEmpty
    extends: NonEmpty
    description: str = ""
    admins: tuple[NonEmpty, ...] = ()
    applies_to: AppliesToSpec = AppliesToSpec()
    office_hours: OfficeHoursSpec | None = None
    templates: dict[NonEmpty, str] = {}
    overrides: dict[NonEmpty, RuleOverrideSpec] = {}
    rules: tuple[RuleSpec, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value
