#!/usr/bin/env python3
"""Summarises `momq eval` reports for docs/results.md: EX per dialect with its item count and a 95 %
Wilson interval, the average, and English against Chinese (from the "-en-" / "-zh-" in item ids).

    python3 scripts/report_summary.py NAME=REPORT.json [NAME=REPORT.json ...]
"""
import json
import math
import sys

DIALECTS = ["mysql", "postgresql", "sqlite", "cypher", "ngql"]


def wilson(k, n, z=1.96):
    if n == 0:
        return (0.0, 0.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (100 * (centre - half), 100 * (centre + half))


def scored(item):  # golds that fail or give nothing usable leave the denominator, as in `momq eval`
    return item["status"] not in ("gold_excluded", "gold_failed", "result_too_large")


def right(item):
    return item["status"] in ("match", "exact_match")


def main():
    print("| run | " + " | ".join(f"{d} EX [95 %] (n)" for d in DIALECTS) + " | average EX | EXEC (SQL, Cypher) | en EX | zh EX |")
    print("| --- |" + " --- |" * (len(DIALECTS) + 4))
    for arg in sys.argv[1:]:
        name, path = arg.split("=", 1)
        report = json.load(open(path, encoding="utf-8"))
        items = [i for i in report["items"] if scored(i)]
        cells, averages = [], []
        for d in DIALECTS:
            mine = [i for i in items if i["dialect"] == d]
            if not mine:  # a dialect the run did not score is no zero
                cells.append("—")
                continue
            k = sum(right(i) for i in mine)
            lo, hi = wilson(k, len(mine))
            ex = 100 * k / len(mine)
            averages.append(ex)
            cells.append(f"{ex:.1f} [{lo:.0f}–{hi:.0f}] ({len(mine)})")
        executed = [report["dialects"][d]["exec"] for d in DIALECTS if report["dialects"].get(d, {}).get("method") == "execution"]
        lang = {}
        for code in ("en", "zh"):
            mine = [i for i in items if f"-{code}-" in i["id"]]
            lang[code] = 100 * sum(right(i) for i in mine) / len(mine) if mine else 0
        print(f"| {name} | " + " | ".join(cells) + f" | {sum(averages) / max(1, len(averages)):.1f} | "
              f"{sum(executed) / max(1, len(executed)):.1f} | {lang['en']:.1f} | {lang['zh']:.1f} |")


if __name__ == "__main__":
    main()
