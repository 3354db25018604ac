#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# moderation-log-read.py csv|jsonl FILE: reads an exported moderation trail back the way a
# records officer's tools would (Python's csv module, one JSON object a line) and prints its
# rows as one JSON array of objects, for test-moderation-log to compare.
import csv
import json
import sys

kind, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8", newline="") as f:
    if kind == "csv":
        rows = list(csv.DictReader(f, strict=True))
    else:
        rows = [json.loads(line) for line in f.read().split("\n") if line]
json.dump(rows, sys.stdout)
