"""The parser under atheris: mutated workbooks (bytes) and fuzzed sheets (cell values) must never raise,
hang or return anything but a ParsedWorkbook. Run by tests/test_fuzz.py with a time bound; by hand:

    python tests/fuzz/fuzz_parser.py -max_total_time=60 CORPUS_DIR
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["ingest"]):
    from pathlib import Path

    from ingest import form_bdg1
    from ingest.parse import ParsedWorkbook, parse_bytes, parse_grids
    from ingest.personal_data import find_personal_data

HEADERS = {spec.sheet: [column.label for column in getattr(spec, "columns", ())] for spec in form_bdg1.SHEETS}


def _value(fdp: atheris.FuzzedDataProvider):
    kind = fdp.ConsumeIntInRange(0, 6)
    if kind == 0:
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 64))
    if kind == 1:
        return fdp.ConsumeFloat()
    if kind == 2:
        return float(fdp.ConsumeInt(8))
    if kind == 3:
        return ""
    if kind == 4:  # a label of the form, so header rows are found and data rows are read
        labels = [label for labels in HEADERS.values() for label in labels] or ["STT"]
        return labels[fdp.ConsumeIntInRange(0, len(labels) - 1)]
    if kind == 5:
        return fdp.ConsumeBytes(8).decode("latin-1")
    return None


def one_input(data: bytes) -> None:
    if not data:
        return
    if data[0] % 2 == 0:  # a mutated workbook
        parsed = parse_bytes(Path("fuzz.xlsx"), data[1:], "0" * 64)
    else:  # fuzzed sheets of cell values
        fdp = atheris.FuzzedDataProvider(data[1:])
        grids = {}
        for spec in form_bdg1.SHEETS:
            if fdp.ConsumeBool():
                continue
            rows = []
            if spec.sheet in HEADERS and fdp.ConsumeBool():
                rows.append(list(HEADERS[spec.sheet]))
            for _ in range(fdp.ConsumeIntInRange(0, 12)):
                rows.append([_value(fdp) for _ in range(fdp.ConsumeIntInRange(0, 14))])
            grids[spec.sheet] = (spec.sheet, rows)
        parsed = parse_grids(ParsedWorkbook(Path("fuzz.xlsx"), "0" * 64), form_bdg1.SHEETS, grids, check_identity=True)
    assert isinstance(parsed, ParsedWorkbook)
    for error in parsed.errors:
        assert error.message_vi and find_personal_data(error.message_vi) is None


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
