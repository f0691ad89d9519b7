"""The generated docs (CLI reference, code tables) match the code."""

from hiddenharm import docsgen


def test_it_keeps_the_generated_docs_in_step_with_the_code():
    changed = docsgen.write_docs(check=True)
    assert changed == [], f"run `make docs`: {changed} differ from the code"


def test_it_lists_every_validation_code_in_the_code_tables():
    text = docsgen.codes_reference()
    for code in ("HH001", "HH014", "HW101", "HW105"):
        assert f"| {code} |" in text


def test_it_documents_every_cli_command():
    text = docsgen.cli_reference()
    for command in ("validate", "generate", "report", "serve", "demo", "docs"):
        assert f"### `hiddenharm {command}`" in text


def test_it_refuses_a_readme_without_markers(tmp_path):
    (tmp_path / "README.md").write_text("# no markers here\n")
    try:
        docsgen.expected_files(tmp_path)
    except ValueError as e:
        assert "markers" in str(e)
    else:
        raise AssertionError("expected a ValueError")
