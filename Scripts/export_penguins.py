#!/usr/bin/env python3
"""Export the Palmer penguins table as the two example CSVs in Examples/.

Reads the table that the PyPI package `palmerpenguins` ships (its
palmerpenguins/data/penguins.csv, through `palmerpenguins.load_penguins()`, which returns
a pandas DataFrame of 344 rows) and writes:

    Examples/penguins.csv               the 333 rows with no missing cell
    Examples/penguins_with_missing.csv  all 344 rows; a missing cell is an empty cell

Both keep the package's column order (species, island, bill_length_mm, bill_depth_mm,
flipper_length_mm, body_mass_g, sex, year): the regression target body_mass_g is not the
last column, and species, island and sex are string columns. flipper_length_mm,
body_mass_g and year are written as integers (3750, not 3750.0), the two bill columns as
decimals (pandas' shortest round-trip form, e.g. 39.1, 18.0). UTF-8, a header row, `\\n`
line ends, no index column, nothing quoted (no cell contains a comma or a quote).

Usage:
    pip install pandas palmerpenguins
    python3 Scripts/export_penguins.py [--output-dir Examples]

See Examples/README.md for the source, the licence and the columns.
"""

import argparse
import os
import sys

COLUMNS = ["species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm",
           "body_mass_g", "sex", "year"]
INTEGER_COLUMNS = ["flipper_length_mm", "body_mass_g", "year"]
EXPECTED_ROWS = 344
EXPECTED_COMPLETE_ROWS = 333


def fail(message):
    print(f"export_penguins: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    default_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                               "Examples")
    parser = argparse.ArgumentParser(
        description="Write Examples/penguins.csv (complete rows) and "
                    "Examples/penguins_with_missing.csv (all rows) from the palmerpenguins package.")
    parser.add_argument("--output-dir", default=default_dir,
                        help=f"directory to write the two CSVs to (default {default_dir})")
    args = parser.parse_args()

    if not os.path.isdir(args.output_dir):
        fail(f"no such directory: {args.output_dir}")
    try:
        import pandas as pd
    except ImportError:
        fail("pandas is not installed; run `pip install pandas`")
    try:
        import palmerpenguins
        from importlib.metadata import version
    except ImportError:
        fail("palmerpenguins is not installed; run `pip install palmerpenguins`")

    table = palmerpenguins.load_penguins()
    if list(table.columns) != COLUMNS:
        fail(f"unexpected columns {list(table.columns)}; expected {COLUMNS}")
    if len(table) != EXPECTED_ROWS:
        fail(f"unexpected row count {len(table)}; expected {EXPECTED_ROWS}")

    for column in INTEGER_COLUMNS:
        values = table[column].dropna()
        if not (values == values.round()).all():
            fail(f"column {column} has non-integer values")
        table[column] = table[column].astype("Int64")   # nullable: missing stays missing

    complete = table.dropna(how="any")
    if len(complete) != EXPECTED_COMPLETE_ROWS:
        fail(f"{len(complete)} complete rows; expected {EXPECTED_COMPLETE_ROWS}")

    outputs = [("penguins.csv", complete), ("penguins_with_missing.csv", table)]
    for name, frame in outputs:
        path = os.path.join(args.output_dir, name)
        try:
            frame.to_csv(path, index=False, na_rep="", lineterminator="\n", encoding="utf-8")
        except OSError as error:
            fail(f"cannot write {path}: {error}")
        print(f"wrote {path}: {len(frame)} rows x {len(frame.columns)} columns")
    print(f"source: palmerpenguins {version('palmerpenguins')}, pandas {pd.__version__}")


if __name__ == "__main__":
    main()
