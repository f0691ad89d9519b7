"""`hiddenharm serve` and `hiddenharm demo` (being built)."""
import typer

def serve() -> None:
    """Serve the web application."""
    raise typer.Exit(3)

def demo() -> None:
    """Load the demo area."""
    raise typer.Exit(3)
