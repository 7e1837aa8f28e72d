from portcullis.screening.matching import native


def test_a_build_of_these_sources_is_searched_before_them(tmp_path):
    (tmp_path / "SOURCES").write_text(native.sources_digest())
    assert native.compiled_path(tmp_path) == [str(tmp_path)]


def test_a_build_of_other_sources_is_never_used(tmp_path):
    (tmp_path / "SOURCES").write_text("0" * 64)
    assert native.compiled_path(tmp_path) == []


def test_without_a_build_the_sources_run_as_they_are(tmp_path):
    assert native.compiled_path(tmp_path / "absent") == []
