from tests.conftest import run


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == "compendium 0.1.0\n"
