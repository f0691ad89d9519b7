"""`hiddenharm token create USERNAME --scope S [--scope S ...] [--days N]`: a new API token
for a person, printed alone on standard output (for a script to capture)."""

from __future__ import annotations

from typing import Annotated

import typer

token_app = typer.Typer(
    name="token",
    help="API tokens: make one for a person (it acts with their role, never more).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@token_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="The person the token belongs to.")],
    scope: Annotated[
        list[str],
        typer.Option(
            "--scope",
            metavar="SCOPE",
            help="submissions, referrals:read or referrals:write; repeat for more than one.",
        ),
    ],
    days: int = typer.Option(30, "--days", metavar="N", help="Days until the token expires."),
    name: str = typer.Option("", "--name", help="What the token is for (shown on the page)."),
) -> None:
    """Make an API token and print it (only it) on standard output."""
    from hiddenharm.web.command import _setup_django

    _setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from hiddenharm.api import tokens

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        typer.echo(f"Error: no active person with the username {username!r}", err=True)
        raise typer.Exit(2)
    try:
        _token, raw = tokens.create_token(user, scope, days=days, name=name)
    except ValueError as e:
        typer.echo(f"Error: {e}", err=True)
        raise typer.Exit(2) from None
    except PermissionDenied:
        typer.echo(f"Error: {username!r} has no role here, so no token", err=True)
        raise typer.Exit(2) from None
    typer.echo(raw)
