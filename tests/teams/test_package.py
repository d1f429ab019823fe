"""deploy/teams/ and `nudge teams-package`: a zip Teams accepts, or every reason it would not."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from bots.cli import main
from bots.teams.package import PackageError, PackageInputs, build_package, teams_app_id
from bots.teams.png import read_png
from tests.conftest import ROOT

SOURCE = ROOT / "deploy" / "teams"
BOT = "11111111-2222-3333-4444-555555555555"


def make_icons_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", SOURCE / "make_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_package_holds_a_valid_manifest_and_both_icons() -> None:
    blob, manifest = build_package(SOURCE, PackageInputs(BOT, "nudge.example.com"))
    archive = zipfile.ZipFile(io.BytesIO(blob))
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    packed = json.loads(archive.read("manifest.json"))
    assert packed == manifest
    assert packed["manifestVersion"] == "1.17" and packed["version"] == "1.0.0"
    assert packed["id"] == teams_app_id(BOT) and packed["id"] != BOT
    assert packed["bots"][0]["botId"] == BOT
    assert packed["validDomains"] == ["nudge.example.com"]
    [command] = packed["composeExtensions"][0]["commands"]
    assert command["type"] == "action" and command["fetchTask"] is True
    assert command["context"] == ["compose", "message"]
    assert packed["composeExtensions"][0]["botId"] == BOT
    commands = packed["bots"][0]["commandLists"][0]["commands"]
    assert [c["title"] for c in commands] == ["check", "hours", "help"]
    assert (
        read_png(archive.read("color.png")).width,
        read_png(archive.read("outline.png")).width,
    ) == (192, 32)


def test_the_app_id_is_stable_and_can_be_given() -> None:
    assert teams_app_id(BOT) == teams_app_id(BOT.upper())
    given = "99999999-8888-7777-6666-555555555555"
    _, manifest = build_package(SOURCE, PackageInputs(BOT, "nudge.example.com", "2.1.0", given))
    assert manifest["id"] == given and manifest["version"] == "2.1.0"


def test_committed_icons_are_what_the_script_draws(tmp_path: Path) -> None:
    module = make_icons_module()
    assert (SOURCE / "color.png").read_bytes() == module.png(192, 192, module.color)
    assert (SOURCE / "outline.png").read_bytes() == module.png(32, 32, module.outline)
    outline = read_png((SOURCE / "outline.png").read_bytes()).rgba()
    assert {p for p in outline if p[3]} == {(255, 255, 255, 255)}
    color = read_png((SOURCE / "color.png").read_bytes()).rgba()
    assert color[0] == (0x3A, 0x5B, 0xA0, 255)  # the 48 px padding is background


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    source = tmp_path / "teams"
    shutil.copytree(SOURCE, source)
    module = make_icons_module()
    (source / "color.png").write_bytes(module.png(96, 96, module.color))
    (source / "outline.png").write_bytes(module.png(32, 32, lambda x, y: (255, 0, 0, 255)))
    manifest = json.loads((source / "manifest.json").read_text())
    del manifest["accentColor"]
    (source / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PackageError) as caught:
        build_package(source, PackageInputs("not-a-guid", "https://nudge.example.com", "v1"))
    problems = "\n".join(caught.value.problems)
    for expected in (
        "manifest lacks accentColor",
        "version must look like 1.0.0",
        "bots[0].botId must be a GUID",
        "composeExtensions[0].botId must be a GUID",
        "validDomains: 'https://nudge.example.com' is not a host name",
        "icons.color must be 192x192, not 96x96",
        "icons.outline must be white",
    ):
        assert expected in problems


def test_a_missing_icon_and_a_placeholder_are_problems(tmp_path: Path) -> None:
    source = tmp_path / "teams"
    shutil.copytree(SOURCE, source)
    (source / "outline.png").unlink()
    text = (source / "manifest.json").read_text().replace('"Nudge"', '"${{UNKNOWN}}"', 1)
    (source / "manifest.json").write_text(text)
    with pytest.raises(PackageError) as caught:
        build_package(source, PackageInputs(BOT, "nudge.example.com"))
    assert "icons.outline file 'outline.png' is missing" in caught.value.problems
    assert "manifest still has ${{...}} placeholders" in caught.value.problems


def test_cli_builds_the_zip_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", BOT)
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "secret")
    monkeypatch.setenv("MICROSOFT_APP_TENANT_ID", "00000000-0000-0000-0000-000000000001")
    out = tmp_path / "nudge.zip"
    assert main(["teams-package", "--domain", "nudge.example.com", "--out", str(out)]) == 0
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["bots"][0]["botId"] == BOT
    assert "secret" not in capsys.readouterr().err


def test_cli_without_an_app_id_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    out = tmp_path / "nudge.zip"
    assert main(["teams-package", "--domain", "nudge.example.com", "--out", str(out)]) == 2
    assert "MICROSOFT_APP_ID" in capsys.readouterr().err
    assert not out.exists()


def test_cli_reports_validation_problems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", BOT)
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "secret")
    monkeypatch.setenv("MICROSOFT_APP_TYPE", "MultiTenant")
    out = tmp_path / "nudge.zip"
    assert main(["teams-package", "--domain", "localhost:3978/x", "--out", str(out)]) == 2
    assert "is not a host name" in capsys.readouterr().err
    assert not out.exists()
