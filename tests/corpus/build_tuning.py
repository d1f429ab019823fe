"""Build the hand-labelled tuning corpora (en/pt_tuning, en/pt_overpromise_tuning).

Labels follow issue 3's definitions; after_hours is computed from the local time the
`sent_at` offset carries against 09:00-18:00 Monday to Friday.
Run: python -m tests.corpus.build_tuning
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
IN_HOURS = {"en": "2026-02-04T10:30:00+00:00", "pt": "2026-02-04T10:30:00-03:00"}


def _after_hours(sent_at: str) -> bool:
    moment = dt.datetime.fromisoformat(sent_at)
    return moment.weekday() >= 5 or not (dt.time(9) <= moment.time() < dt.time(18))


def _row(lang: str, case: tuple[str, str, str, str, str, str | None]) -> dict[str, object]:
    cid, domain, flags, client, draft, sent_at = case
    at = sent_at or IN_HOURS[lang]
    return {
        "id": cid,
        "lang": lang,
        "domain": domain,
        "client_message": client,
        "draft": draft,
        "sent_at": at,
        "labels": {
            "overpromise": "o" in flags,
            "boundary": "b" in flags,
            "missing_validation": "m" in flags,
        },
        "after_hours": _after_hours(at),
        "rationale": "hand-labelled tuning case (issue 3 definitions)",
    }


def write(lang: str, cases: list[tuple[str, str, str, str, str, str | None]]) -> None:
    path = HERE / f"{lang}_tuning.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(_row(lang, case), ensure_ascii=False) + "\n")


def write_overpromise(lang: str, cases: list[tuple[str, str, str, str, str]]) -> None:
    """The overpromise-focused sets: same format, always sent in office hours."""
    path = HERE / f"{lang}_overpromise_tuning.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for cid, domain, flags, client, draft in cases:
            row = _row(lang, (cid, domain, flags, client, draft, None))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    from tests.corpus.overpromise_en import CASES as EN_OVER
    from tests.corpus.overpromise_pt import CASES as PT_OVER
    from tests.corpus.tuning_en import CASES as EN
    from tests.corpus.tuning_pt import CASES as PT

    write("en", EN)
    write("pt", PT)
    write_overpromise("en", EN_OVER)
    write_overpromise("pt", PT_OVER)
