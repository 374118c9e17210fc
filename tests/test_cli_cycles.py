"""Report cycle commands end to end: new, list, present, appendix (PDF/Word, Part A/B), movements."""

from pathlib import Path

from pypdf import PdfReader

from riskdesk.cli import run

FIXTURES = Path(__file__).parent / "fixtures"


def _load(db_url):
    assert run(["--database", db_url, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0


def test_cycle_commands_end_to_end(db_url, tmp_path, capsys):
    _load(db_url)
    capsys.readouterr()
    assert run(["--database", db_url, "cycle", "list"]) == 0
    out = capsys.readouterr().out
    assert "2023-11-17  draft" in out and "2023-09-22  presented" in out

    assert run(["--database", db_url, "movements", "--cycle", "latest"]) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 removed, 5 amended, 0 score change(s)" in out
    assert "Rationale – The AD (FSP&C) risk is not only around the number but also the type of placements." in out
    assert out.index("  1.1 ALL") < out.index("  1.5 C&FS (Children's Social Care)") < out.index("  1.12 CE")

    assert run(["--database", db_url, "cycle", "present", "latest"]) == 0
    assert "Cycle 2 presented" in capsys.readouterr().out
    assert run(["--database", db_url, "cycle", "present", "2"]) == 2
    assert "already presented" in capsys.readouterr().err

    pdf, again, docx = tmp_path / "a.pdf", tmp_path / "again.pdf", tmp_path / "a.docx"
    assert run(["--database", db_url, "appendix", "--cycle", "latest", "--out", str(pdf)]) == 0
    assert run(["--database", db_url, "appendix", "--cycle", "2", "--out", str(again)]) == 0
    assert pdf.read_bytes() == again.read_bytes()
    # As published, Appendix A holds no movements unless asked; they print alone for the covering report.
    assert "Movements since the CRR was last presented" not in PdfReader(str(pdf)).pages[0].extract_text()
    with_moves = tmp_path / "moves-first.pdf"
    assert run(["--database", db_url, "appendix", "--out", str(with_moves), "--movements"]) == 0
    assert "Movements since the CRR was last presented" in PdfReader(str(with_moves)).pages[0].extract_text()
    covering = tmp_path / "movements.docx"
    assert run(["--database", db_url, "movements", "--format", "docx", "--out", str(covering)]) == 0
    assert covering.read_bytes()[:2] == b"PK"
    assert run(["--database", db_url, "appendix", "--out", str(docx)]) == 0
    assert docx.read_bytes()[:2] == b"PK"
    again_docx = tmp_path / "again.docx"
    assert run(["--database", db_url, "appendix", "--out", str(again_docx)]) == 0
    assert again_docx.read_bytes() == docx.read_bytes()  # a presented cycle's Word file reprints byte for byte
    part_b = tmp_path / "b.pdf"
    assert run(["--database", db_url, "appendix", "--out", str(part_b), "--part", "B", "--format", "pdf"]) == 0
    assert "Part B" in PdfReader(str(part_b)).pages[0].extract_text()
    capsys.readouterr()

    assert run(["--database", db_url, "cycle", "new", "--meeting", "2024-01-26", "--title", "CRR Update (Jan)",
                "--heading", "Update December 2023"]) == 0
    out = capsys.readouterr().out
    assert "Cycle 3 created (draft): CRR Update (Jan)" in out and "previous cycle 2" in out
    assert run(["--database", db_url, "movements"]) == 0
    assert "0 added, 0 removed, 0 amended" in capsys.readouterr().out


def test_cycle_errors_are_one_clear_line(db_url, tmp_path, capsys):
    _load(db_url)
    capsys.readouterr()
    assert run(["--database", db_url, "cycle", "new", "--meeting", "17/11/2023"]) == 2
    assert "is not a date like 2023-11-17" in capsys.readouterr().err
    assert run(["--database", db_url, "cycle", "new", "--meeting", "2024-01-26", "--register", "Nope"]) == 2
    assert "does not exist (registers: Corporate Risk Register)" in capsys.readouterr().err
    assert run(["--database", db_url, "appendix", "--cycle", "42", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "Report cycle 42 does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_appendix_reads_the_register_once_and_still_warns_of_what_it_cannot_print(db_url, tmp_path, capsys,
                                                                                  monkeypatch):
    """`riskdesk appendix` counts the risks, checks every character and prints, all from one read
    of the draft register (a 2,000-risk snapshot takes seconds to build): one build, the warning
    for a character no font has, and the PDF holding the heading that carries it."""
    import dataclasses

    from riskdesk.services import appendix_look, cycles

    _load(db_url)
    capsys.readouterr()
    builds = []
    real = cycles.snapshot_from  # the one builder: the services' and, on a SQLite file, appendix_look's

    def counted(*args, **kwargs):
        snapshot, unscored = real(*args, **kwargs)
        builds.append(snapshot.title)
        first = dataclasses.replace(snapshot.categories[0], heading=snapshot.categories[0].heading + " \ue000")
        return dataclasses.replace(snapshot, categories=(first, *snapshot.categories[1:])), unscored

    monkeypatch.setattr(cycles, "snapshot_from", counted)
    monkeypatch.setattr(appendix_look, "snapshot_from", counted)
    pdf = tmp_path / "draft.pdf"
    assert run(["--database", db_url, "appendix", "--cycle", "latest", "--out", str(pdf)]) == 0
    err = capsys.readouterr().err
    print(f"snapshot builds: {len(builds)}")
    assert len(builds) == 1
    assert "no font here can print U+E000" in err and "category headings" in err
    assert "Medium Term Financial Strategy" in PdfReader(str(pdf)).pages[0].extract_text()
