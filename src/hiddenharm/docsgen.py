"""Docs that cannot drift: the CLI reference and the code-list tables, generated from the code.

`hiddenharm docs` writes docs/cli.md, docs/codes.md and the CLI section of README.md;
`hiddenharm docs --check` (and a test) fails when any of them differs from the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hiddenharm.extract import codes

ROOT = Path(__file__).resolve().parents[2]
README_START = "<!-- BEGIN GENERATED: cli (hiddenharm docs) -->"
README_END = "<!-- END GENERATED: cli -->"


def _param_row(param: Any) -> str:
    # Typer vendors click privately, so parameters are read by duck typing, not isinstance.
    if param.param_type_name == "argument":
        name = f"`{(param.metavar or param.name).upper()}`"
        help_text = getattr(param, "help", None) or ""
        default = ""
    else:
        opts = ", ".join(param.opts + param.secondary_opts)
        metavar = "" if param.is_flag else f" {param.metavar or param.name.upper()}"
        name = f"`{opts}{metavar}`"
        help_text = param.help or ""
        default = "" if param.default in (None, False, (), "") else f"`{param.default}`"
    return f"| {name} | {help_text.replace('|', '/')} | {default} |"


def cli_reference() -> str:
    """Markdown for every sub-command of `hiddenharm`: usage, help and options."""
    import typer

    from hiddenharm.cli import app

    group: Any = typer.main.get_command(app)
    ctx = group.context_class(group, info_name="hiddenharm")
    out = ["## Command-line reference", ""]
    out.append(f"`hiddenharm COMMAND [OPTIONS]`: {(group.help or '').strip()}")
    out.append("")

    def emit(name: str, cmd: Any, parent: Any) -> None:
        sub = cmd.context_class(cmd, info_name=name.split()[-1], parent=parent)
        pieces = cmd.collect_usage_pieces(sub)
        out.append(f"### `hiddenharm {name}`")
        out.append("")
        out.append(f"`hiddenharm {name} {' '.join(pieces)}`")
        out.append("")
        out.append((cmd.help or "").strip())
        out.append("")
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            out.append("| argument or option | meaning | default |")
            out.append("| --- | --- | --- |")
            out.extend(_param_row(p) for p in params)
            out.append("")
        for child in sorted(getattr(cmd, "commands", {})):  # a group: its sub-commands
            emit(f"{name} {child}", cmd.commands[child], sub)

    for name in sorted(group.commands):
        emit(name, group.commands[name], ctx)
    return "\n".join(out).rstrip() + "\n"


def codes_reference() -> str:
    """Markdown tables of the HHX-1 files, columns, code lists and validation codes."""
    out = [
        "# HHX-1 code lists and validation codes",
        "",
        "Generated from `src/hiddenharm/extract/codes.py` by `hiddenharm docs`; do not edit.",
        "",
    ]
    for spec in codes.FILES.values():
        out.append(f"## `{spec.filename}` ({'required' if spec.required else 'optional'})")
        out.append("")
        out.append("| column | required | kind | meaning | codes |")
        out.append("| --- | --- | --- | --- | --- |")
        for col in spec.columns:
            code_list = ", ".join(f"`{k}`" for k in col.codes) if col.codes else ""
            out.append(
                f"| {col.name} | {'yes' if col.required else 'no'} | {col.kind} "
                f"| {col.meaning} | {code_list} |"
            )
        out.append("")
    lists = {
        "SEX": codes.SEX,
        "Substances (DRUG1-3)": codes.SUBSTANCE,
        "SETTING": codes.SETTING,
        "DISRSN": codes.DISRSN,
        "PRNTSTAT": codes.PRNTSTAT,
        "PREGNANT": codes.PREGNANT,
        "EARLYHLP": codes.EARLYHLP,
        "WHEREABT": codes.WHEREABT,
        "CSCSTAT": codes.CSCSTAT,
    }
    for title, mapping in lists.items():
        out.append(f"## {title}")
        out.append("")
        out.append("| code | meaning |")
        out.append("| --- | --- |")
        out.extend(f"| `{k}` | {v} |" for k, v in mapping.items())
        out.append("")
    out.append("## Validation codes")
    out.append("")
    out.append("| code | severity | problem |")
    out.append("| --- | --- | --- |")
    out.extend(
        f"| {code} | {codes.SEVERITY[code]} | {codes.PROBLEM_TITLES[code]} |"
        for code in codes.SEVERITY
    )
    return "\n".join(out) + "\n"


def _readme_with(reference: str, readme: str) -> str:
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the markers {README_START!r} ... {README_END!r}")
    return readme[: start + len(README_START)] + "\n\n" + reference + "\n" + readme[end:]


def expected_files(root: Path = ROOT) -> dict[Path, str]:
    """Each generated file and the text it should hold."""
    reference = cli_reference()
    readme = (root / "README.md").read_text(encoding="utf-8")
    return {
        root / "docs" / "cli.md": "# `hiddenharm` command reference\n\n"
        "Generated by `hiddenharm docs`; do not edit.\n\n" + reference.split("\n", 2)[2],
        root / "docs" / "codes.md": codes_reference(),
        root / "README.md": _readme_with(reference, readme),
    }


def write_docs(check: bool = False, root: Path = ROOT) -> list[str]:
    """Write (or with `check`, only compare) the generated docs; return those that differ."""
    changed = []
    for path, text in expected_files(root).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            changed.append(str(path.relative_to(root)))
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return changed
