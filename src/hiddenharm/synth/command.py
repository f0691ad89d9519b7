"""`hiddenharm generate` (being built)."""
import typer

def generate(dir: str = typer.Argument(...)) -> None:
    """Generate a synthetic submission."""
    raise typer.Exit(3)
