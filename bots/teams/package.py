"""The installable Teams app package: deploy/teams/manifest.json filled in, icons, one zip."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bots.teams.png import PngError, read_png

MANIFEST_VERSION = "1.17"
ICON_SIZES = {"color": 192, "outline": 32}
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DOMAIN = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_PLACEHOLDER = re.compile(r"\$\{\{[A-Z_]+\}\}")
_REQUIRED = ("manifestVersion", "version", "id", "developer", "name", "description", "icons",
             "accentColor")  # fmt: skip


class PackageError(ValueError):
    """The package cannot be built, or would be rejected by Teams; lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the Teams package has problems:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PackageInputs:
    """What varies per installation."""

    bot_id: str
    domain: str
    version: str = "1.0.0"
    teams_app_id: str | None = None  # default: derived from the bot id, stable across builds


def teams_app_id(bot_id: str) -> str:
    """A stable Teams app id for a bot, so a rebuilt package updates the same app."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://nudge.invalid/teams/{bot_id.lower()}"))


def render_manifest(template: str, inputs: PackageInputs) -> dict[str, Any]:
    """Fill the ${{...}} placeholders; values are JSON-escaped so nothing can break the document."""
    values = {
        "MICROSOFT_APP_ID": inputs.bot_id,
        "TEAMS_APP_ID": inputs.teams_app_id or teams_app_id(inputs.bot_id),
        "BOT_DOMAIN": inputs.domain,
        "APP_VERSION": inputs.version,
    }
    text = template
    for key, value in values.items():
        text = text.replace("${{" + key + "}}", json.dumps(value)[1:-1])
    return json.loads(text)


def validate(manifest: dict[str, Any], icons: dict[str, bytes]) -> list[str]:
    """Every problem Teams would reject the package for (an empty list when it is fine)."""
    problems = [f"manifest lacks {key}" for key in _REQUIRED if not manifest.get(key)]
    if manifest.get("manifestVersion") != MANIFEST_VERSION:
        problems.append(f"manifestVersion must be {MANIFEST_VERSION}")
    if not _VERSION.match(str(manifest.get("version", ""))):
        problems.append("version must look like 1.0.0")
    if _PLACEHOLDER.search(json.dumps(manifest)):
        problems.append("manifest still has ${{...}} placeholders")
    problems += _ids(manifest) + _texts(manifest) + _domains(manifest)
    problems += _icons(manifest, icons)
    return problems


def _ids(manifest: dict[str, Any]) -> list[str]:
    ids = {"id": manifest.get("id")}
    ids |= {f"bots[{i}].botId": b.get("botId") for i, b in enumerate(manifest.get("bots", []))}
    extensions = enumerate(manifest.get("composeExtensions", []))
    ids |= {f"composeExtensions[{i}].botId": c.get("botId") for i, c in extensions}
    return [f"{key} must be a GUID" for key, value in ids.items() if not _GUID.match(str(value))]


def _texts(manifest: dict[str, Any]) -> list[str]:
    limits = [("name", "short", 30), ("name", "full", 100), ("description", "short", 80),
              ("description", "full", 4000)]  # fmt: skip
    problems = []
    for section, key, limit in limits:
        value = (manifest.get(section) or {}).get(key) or ""
        if not value or len(value) > limit:
            problems.append(f"{section}.{key} must be 1 to {limit} characters")
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        if not str((manifest.get("developer") or {}).get(key, "")).startswith("https://"):
            problems.append(f"developer.{key} must be an https URL")
    if not re.match(r"^#[0-9a-fA-F]{6}$", str(manifest.get("accentColor", ""))):
        problems.append("accentColor must be #RRGGBB")
    return problems


def _domains(manifest: dict[str, Any]) -> list[str]:
    domains = manifest.get("validDomains") or []
    return [f"validDomains: {d!r} is not a host name" for d in domains if not _DOMAIN.match(d)]


def _icons(manifest: dict[str, Any], icons: dict[str, bytes]) -> list[str]:
    problems = []
    for kind, size in ICON_SIZES.items():
        name = (manifest.get("icons") or {}).get(kind)
        blob = icons.get(str(name))
        if blob is None:
            problems.append(f"icons.{kind} file {name!r} is missing")
            continue
        try:
            image = read_png(blob)
        except PngError as exc:
            problems.append(f"icons.{kind}: {exc}")
            continue
        if (image.width, image.height) != (size, size):
            problems.append(f"icons.{kind} must be {size}x{size}, not {image.width}x{image.height}")
        elif kind == "outline" and not _white_on_transparent(image):
            problems.append("icons.outline must be white (255,255,255) on transparent only")
    return problems


def _white_on_transparent(image: Any) -> bool:
    try:
        pixels = image.rgba()
    except PngError:
        return True  # not RGBA: the size check is all we can do
    return all(a == 0 or (r, g, b) == (255, 255, 255) for r, g, b, a in pixels)


def build_package(source: Path, inputs: PackageInputs) -> tuple[bytes, dict[str, Any]]:
    """The zip (manifest.json + icons at its root) and the manifest; raises PackageError."""
    try:
        template = (source / "manifest.json").read_text(encoding="utf-8")
        manifest = render_manifest(template, inputs)
    except (OSError, json.JSONDecodeError) as exc:
        raise PackageError([f"cannot read {source / 'manifest.json'}: {exc}"]) from None
    icons = {}
    for name in (manifest.get("icons") or {}).values():
        path = source / str(name)
        if path.is_file():
            icons[str(name)] = path.read_bytes()
    problems = validate(manifest, icons)
    if problems:
        raise PackageError(problems)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for name, blob in icons.items():
            archive.writestr(name, blob)
    return buffer.getvalue(), manifest
