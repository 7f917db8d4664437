from kopdig.lib import envfile


def test_parse_skips_comments_blanks_and_empty_values():
    text = "# comment\n\nKOPDIG_DEBUG=true\nexport KOPDIG_LOG_LEVEL='INFO'\nDATABASE_URL=\nBROKEN LINE\n"
    assert envfile.parse(text) == {"KOPDIG_DEBUG": "true", "KOPDIG_LOG_LEVEL": "INFO"}


def test_load_fills_only_what_the_environment_lacks(tmp_path):
    f = tmp_path / ".env"
    f.write_text(
        'KOPDIG_DEBUG=true\nKOPDIG_ALLOWED_HOSTS="kopdig.example"\nKOPDIG_DATA_DIR=\n', encoding="utf-8"
    )
    environ = {"KOPDIG_DEBUG": "false", "KOPDIG_DATA_DIR": "/srv/kopdig"}
    assert envfile.load(f, environ) == f
    assert environ == {
        "KOPDIG_DEBUG": "false",
        "KOPDIG_DATA_DIR": "/srv/kopdig",
        "KOPDIG_ALLOWED_HOSTS": "kopdig.example",
    }


def test_missing_file_is_no_error(tmp_path):
    environ = {}
    assert envfile.load(tmp_path / "nope.env", environ) is None and environ == {}


def test_env_file_variable_names_the_file(tmp_path):
    f = tmp_path / "kopdig.env"
    f.write_text("KOPDIG_LOG_LEVEL=DEBUG\n", encoding="utf-8")
    environ = {"KOPDIG_ENV_FILE": str(f)}
    envfile.load(environ=environ)
    assert environ["KOPDIG_LOG_LEVEL"] == "DEBUG"
