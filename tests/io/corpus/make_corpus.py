"""The malformed-import corpus: every file, the bytes it holds and the exact outcome expected.

Run ``python tests/io/corpus/make_corpus.py`` to (re)write the files beside this script; the test
(``tests/io/test_io_corpus.py``) checks that the committed files still hold exactly these bytes,
so a file and its expectation never drift apart.

An outcome is one of:

* ``FileRefused(match, row, column)``: the whole file is refused, naming the row and column;
* ``RowRefused(row, column, value)``: the import is refused with an error on that cell (others
  may be listed too), and nothing may be imported until it is fixed;
* ``Imported(levels, ...)``: imported, every value as in the file: ``levels`` gives each ref's
  (current impact, current likelihood, target impact, target likelihood) exactly as written on
  riskdesk's 1–5 scale, or as converted by a scale the header or the user stated (and then the
  original cells are kept).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["Ref", "Risk Description", "Owner", "Current Impact", "Current Likelihood", "Current Score",
          "Target Impact", "Target Likelihood", "Update"]


@dataclass(frozen=True)
class FileRefused:
    match: str
    row: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class RowRefused:
    row: int
    column: str
    value: str
    match: str = ""


@dataclass(frozen=True)
class Imported:
    levels: dict[str, tuple[int, int, int | None, int | None]]
    #: (ref, text the kept original cells must contain)
    sources: tuple[tuple[str, str], ...] = ()
    #: (ref, attribute, exact text) for texts that must come through as written
    texts: tuple[tuple[str, str, str], ...] = ()
    #: warnings that must be shown: (row, column, words in the message)
    warnings: tuple[tuple[int, str, str], ...] = ()
    #: ignored columns named in the preview, with the rows they disagree on
    ignored: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    outcome: FileRefused | RowRefused | Imported
    #: options as the CLI takes them: {"scale": ["impact=1-10"], "encoding": "mac_roman"}
    options: dict[str, object] = field(default_factory=dict)
    why: str = ""


def table(rows: list[list[object]], header: list[str] | None = None, *, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def base(n: int = 4) -> list[list[object]]:
    """n well-formed 1–5 rows: ref, description, owner, ci, cl, score, ti, tl, update."""
    out = []
    for i in range(1, n + 1):
        ci, cl = (i % 5) + 1, ((i + 2) % 5) + 1
        ti, tl = max(1, ci - 1), max(1, cl - 1)
        out.append([str(i), f"IF demand rises THEN service {i} suffers", "Jane Doe", ci, cl, ci * cl, ti, tl,
                    f"Update for risk {i}."])
    return out


def levels(rows: list[list[object]]) -> dict[str, tuple[int, int, int | None, int | None]]:
    return {str(r[0]): (int(r[3]), int(r[4]), int(r[6]) if r[6] not in (None, "") else None,  # type: ignore[arg-type]
                        int(r[7]) if r[7] not in (None, "") else None) for r in rows}  # type: ignore[arg-type]


def with_cell(row_index: int, column: int, value: object, n: int = 4) -> list[list[object]]:
    rows = base(n)
    rows[row_index][column] = value
    if column in (3, 4) and isinstance(value, int | float) and not isinstance(value, bool):
        rows[row_index][5] = ""  # no stated score to contradict: the cell itself is the point
    return rows


def _cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    # -- scale: a mistyped value is an error on that cell, never a reason to rescale ---------
    add(Case("mistyped_impact_7.csv", table(with_cell(2, 3, 7)), RowRefused(4, "Current Impact", "7", "outside"),
             why="a 1-5 register with one impact typed as 7"))
    add(Case("mistyped_impact_6.csv", table(with_cell(0, 3, 6, 10)), RowRefused(2, "Current Impact", "6", "outside")))
    add(Case("mistyped_likelihood_6.csv", table(with_cell(3, 4, 6)), RowRefused(5, "Current Likelihood", "6", "outside")))
    add(Case("mistyped_target_8.csv", table(with_cell(1, 6, 8)), RowRefused(3, "Target Impact", "8", "outside")))
    add(Case("impact_zero.csv", table(with_cell(1, 3, 0)), RowRefused(3, "Current Impact", "0", "outside")))
    add(Case("impact_negative.csv", table(with_cell(1, 3, -2)), RowRefused(3, "Current Impact", "-2", "outside")))
    add(Case("likelihood_text_inf.csv", table(with_cell(0, 4, "inf")), RowRefused(2, "Current Likelihood", "inf")))
    add(Case("likelihood_nan.csv", table(with_cell(0, 4, "NaN")), RowRefused(2, "Current Likelihood", "NaN")))
    add(Case("unknown_word.csv", table(with_cell(2, 3, "Huge")), RowRefused(4, "Current Impact", "Huge", "is text")))
    add(Case("likelihood_missing.csv", table(with_cell(1, 4, "")), RowRefused(3, "Current Likelihood", "", "is empty")))
    # -- huge numbers: refused per cell, memory not in proportion to the value -----------------
    add(Case("huge_1e7.csv", table(with_cell(0, 3, 10_000_000)), RowRefused(2, "Current Impact", "10000000", "outside")))
    add(Case("huge_1e9.csv", table(with_cell(1, 4, 1_000_000_000)),
             RowRefused(3, "Current Likelihood", "1000000000", "outside")))
    add(Case("huge_1e300.csv", table(with_cell(2, 3, "1e300")), RowRefused(4, "Current Impact", "1e300")))
    add(Case("huge_400_digits.csv", table(with_cell(0, 6, "9" * 400)), RowRefused(2, "Target Impact", "9" * 400)))
    add(Case("huge_stated_score.csv", table(with_cell(0, 5, "1" + "0" * 300)),
             RowRefused(2, "Current Score", "1" + "0" * 300, "does not match")))
    # -- stated score or index that disagrees ---------------------------------------------------
    rows = base()
    rows[1][5] = 16  # row 3 is 4 × 5 = 20 … any other number must be reported
    add(Case("stated_score_disagrees.csv", table(rows), RowRefused(3, "Current Score", "16", "does not match")))
    rows = [[str(i), f"Risk {i}", "Jane Doe", ci, cl, ci * cl, "", "", ""] for i, (ci, cl) in
            enumerate([(7, 8), (3, 4), (10, 10)], start=1)]
    # 3 × 4 on the file's own 1–10 scale is 12: 12.5 is reported, and tested, against that product.
    rows[1][5] = 12.5
    add(Case("ten_point_index_disagrees.csv", table(rows, ["Ref", "Risk Description", "Owner", "Impact (1-10)",
                                                           "Likelihood (1-10)", "Current Score", "Target Impact",
                                                           "Target Likelihood", "Update"]),
             RowRefused(3, "Current Score", "12.5", "Impact (1-10) 3 × Likelihood (1-10) 4 = 12")))
    rows = [["1", "Flood", "Jane Doe", 10, 10, 25], ["2", "Fire", "Jane Doe", 4, 6, 24]]
    # 10 × 10 on 1–10 is 100; 25 is 5 × 5 on riskdesk's levels. Tested and reported on the file's own product.
    add(Case("ten_point_stated_on_levels.csv",
             table(rows, ["Ref", "Risk Description", "Owner", "Impact (1-10)", "Likelihood (1-10)", "Score"]),
             RowRefused(2, "Score", "25", "Impact (1-10) 10 × Likelihood (1-10) 10 = 100")))
    # -- guessed mappings that would import nonsense ---------------------------------------------
    pri = [[str(i), w, "Jane Doe", 3, 2, 6] for i, w in enumerate(["Low", "Med", "High", "Med", "Low"], start=1)]
    add(Case("priority_guessed_as_description.csv",
             table(pri, ["Ref", "Risk Priority (low, med, high)", "Owner", "Impact", "Likelihood", "Score"]),
             RowRefused(1, "Risk Priority (low, med, high)", "", "--map")))
    nums = [[str(i), str(i * 3), "Jane Doe", 3, 2] for i in range(1, 5)]
    add(Case("numbers_guessed_as_description.csv", table(nums, ["Ref", "Risk", "Owner", "Impact", "Likelihood"]),
             RowRefused(1, "Risk", "", "only a scale word or a number")))
    text_impact = [[str(i), f"Risk {i}", "Jane Doe", t, 3] for i, t in
                   enumerate(["Financial loss", "Reputational damage", "Harm to service users"], start=1)]
    add(Case("text_guessed_as_impact.csv", table(text_impact, ["Ref", "Risk", "Owner", "Impact", "Likelihood"]),
             RowRefused(1, "Impact", "", "--map")))
    # -- control characters ----------------------------------------------------------------------
    add(Case("control_esc_description.csv", table(with_cell(1, 1, "IF \x1b[31mred\x1b[0m THEN")),
             RowRefused(3, "Risk Description", "IF \x1b[31mred\x1b[0m THEN", "ESC")))
    add(Case("control_bel_update.csv", table(with_cell(2, 8, "done\x07")), RowRefused(4, "Update", "done\x07", "BEL")))
    add(Case("control_nul_owner.csv", table(with_cell(0, 2, "Jane\x00Doe")), RowRefused(2, "Owner", "Jane\x00Doe", "NUL")))
    add(Case("control_vertical_tab_ref.csv", table(with_cell(3, 0, "4\x0b")), RowRefused(5, "Ref", "4\x0b")))
    add(Case("control_c1_update.csv", table(with_cell(0, 8, "next\x85line")), RowRefused(2, "Update", "next\x85line")))
    # -- encodings ---------------------------------------------------------------------------------
    good = table(with_cell(0, 8, "Budget £2m – council’s"))
    add(Case("utf8_with_stray_cp1252_byte.csv", good.replace(b"Update for risk 3.", b"Update \x96 risk 3."),
             FileRefused("mixture", 4, "I"), why="UTF-8 with one stray Windows-1252 dash"))
    add(Case("utf8_bom_with_stray_byte.csv", b"\xef\xbb\xbf" + good.replace(b"risk 2.", b"risk 2\xa3"),
             FileRefused("UTF-8 mark", 3, "I")))
    add(Case("mac_roman.csv", table(with_cell(1, 1, "Caf\u00e9 closure"), encoding="mac_roman"),
             FileRefused("Mac Roman", 3, "B")))
    add(Case("mac_roman_quotes.csv", table(with_cell(0, 8, "council\u2019s budget"), encoding="mac_roman"),
             FileRefused("Mac Roman", 2, "I")))
    add(Case("cp1252_undefined_byte.csv", table(base()).replace(b"risk 4.", b"risk 4\x81"),
             FileRefused("neither UTF-8 nor Windows-1252", 5, "I")))
    add(Case("empty.csv", b"", FileRefused("is empty")))
    add(Case("blank_lines_only.csv", b"\r\n\r\n  \r\n", FileRefused("is empty")))
    add(Case("header_only.csv", table([]), RowRefused(1, "", "", "no risks")))
    # -- imported, every value as in the file -------------------------------------------------------
    ok = base(6)
    add(Case("well_formed.csv", table(ok), Imported(levels(ok))))
    add(Case("cp1252_pound_and_quotes.csv", table(with_cell(0, 8, "Budget £2m – council’s"), encoding="cp1252"),
             Imported(levels(base()), texts=(("1", "update", "Budget £2m – council’s"),))))
    add(Case("mac_roman_chosen.csv", table(with_cell(1, 1, "Caf\u00e9 closure"), encoding="mac_roman"),
             Imported(levels(base()), texts=(("2", "description", "Café closure"),)), {"encoding": "mac_roman"}))
    add(Case("utf16_unicode_text.csv", "\ufeff".encode("utf-16-le") + table(with_cell(0, 1, "Welsh ŵ ŷ €"))
             .decode("utf-8").encode("utf-16-le"), Imported(levels(base()), texts=(("1", "description", "Welsh ŵ ŷ €"),))))
    add(Case("tab_and_newline_kept.csv", table(with_cell(0, 8, "first\tcolumn\nsecond line")),
             Imported(levels(base()), texts=(("1", "update", "first\tcolumn\nsecond line"),))))
    words = [["1", "Flood", "Jane Doe", "High", "Medium", "", "", "", ""],
             ["2", "Fire", "Jane Doe", "Very High", "Low", "", "", "", ""],
             ["3", "Cyber", "Jane Doe", "Medium", "Very Low", "", "", "", ""]]
    add(Case("word_scales.csv", table(words),
             Imported({"1": (4, 3, None, None), "2": (5, 2, None, None), "3": (3, 1, None, None)},
                      sources=(("1", "Impact “High” (read as 4 of 5)"),))))
    york = [[str(i), f"Risk {i}", "Jane Doe", txt, ci, lk, cl] for i, (txt, ci, lk, cl) in enumerate(
        [("Financial loss", 10, "Unlikely", 2), ("Harm", 7, "Likely", 8), ("Reputation", 3, "Rare", 1)], start=1)]
    add(Case("york_style.csv", table(york, ["Ref", "Risk Description", "Owner", "Impact", "Impact (1-10)",
                                            "Likelihood", "Likelihood (1-10)"]),
             Imported({"1": (5, 1, None, None), "2": (4, 4, None, None), "3": (2, 1, None, None)},
                      sources=(("2", "Impact 7 of 10, Likelihood 8 of 10"),))))
    frac = [["1", "Flood", "Jane Doe", 6.67, 8.33, "", "", "", ""], ["2", "Fire", "Jane Doe", 8.33, 4, "", "", "", ""]]
    add(Case("ten_point_fractions_chosen.csv", table(frac),
             Imported({"1": (4, 4, None, None), "2": (4, 2, None, None)},
                      sources=(("1", "Impact 6.67 of 10, Likelihood 8.33 of 10"), ("2", "Impact 8.33 of 10")),
                      warnings=((2, "Current Impact", "rounds halves up"),)),
             {"scale": ["impact=1-10", "likelihood=1-10"]}))
    prio = [[str(i), f"Risk {i}", "Jane Doe", ci, cl, band] for i, (ci, cl, band) in enumerate(
        [(5, 5, "High"), (2, 2, "Low"), (4, 3, "Low"), (3, 3, "Medium")], start=1)]
    add(Case("risk_priority_ignored_disagrees.csv",
             table(prio, ["Ref", "Risk Description", "Owner", "Impact", "Likelihood", "Risk Priority"]),
             Imported({"1": (5, 5, None, None), "2": (2, 2, None, None), "3": (4, 3, None, None),
                       "4": (3, 3, None, None)}, ignored=(("Risk Priority", (4,)),),
                      warnings=((4, "Risk Priority", "disagrees with riskdesk's band medium/amber"),))))
    idx = [[str(i), f"Risk {i}", "Jane Doe", ci, cl, ix] for i, (ci, cl, ix) in enumerate(
        [(5, 5, 25), (2, 2, 4), (4, 3, 16)], start=1)]
    add(Case("risk_index_ignored_disagrees.csv",
             table(idx, ["Ref", "Risk Description", "Owner", "Impact", "Likelihood", "Risk Index"]),
             Imported({"1": (5, 5, None, None), "2": (2, 2, None, None), "3": (4, 3, None, None)},
                      ignored=(("Risk Index", (4,)),)),
             {"map": ["Risk Index=ignore"]}))
    rounded = [["1", "Flood", "Jane Doe", 3.5, 2, "", "", "", ""]]
    add(Case("half_rounds_up_with_warning.csv", table(rounded), Imported(
        {"1": (4, 2, None, None)}, sources=(("1", "Impact 3.5 of 5"),),
        warnings=((2, "Current Impact", "rounds halves up, so it is read as 4"),))))
    na = base()
    na[0][6], na[0][7] = "n/a", "n/a"
    add(Case("target_placeholders.csv", table(na), Imported(
        {**levels(base()), "1": (levels(base())["1"][0], levels(base())["1"][1], None, None)},
        warnings=((2, "Target Impact", "placeholder"),))))
    refs = [[r, f"Risk {r}", "Jane Doe", 2, 2, 4, "", "", ""] for r in ("R10", "R2", "R1", "ICT-002", "ICT-001")]
    add(Case("refs_natural_order.csv", table(refs), Imported({r[0]: (2, 2, None, None) for r in refs})))
    return c


CASES = _cases()


def write_all() -> None:
    for case in CASES:
        (HERE / case.name).write_bytes(case.data)


if __name__ == "__main__":
    write_all()
    print(f"wrote {len(CASES)} files to {HERE}")
