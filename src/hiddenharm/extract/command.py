"""`hiddenharm validate` (being built)."""
import typer

def validate(path: str = typer.Argument(..., help="A submission folder, .zip, or .csv")) -> None:
    """Validate a Hidden Harm extract."""
    raise typer.Exit(3)
