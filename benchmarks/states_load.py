"""What every sovereign state costs: loading Babel's CLDR names (en, ja, zh_Hant), building
the gazetteer with and without them, and finding names in text. Each load is measured in a
fresh process (nothing cached), CPU and wall, with the memory it adds (peak RSS delta).

    python benchmarks/states_load.py
"""

from __future__ import annotations

import json
import subprocess
import sys

_CHILD = r"""
import json, resource, sys, time
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
step = sys.argv[1]
import rdflib  # the gazetteer's own dependency, loaded in both cases: not what is measured
from jtkg.ontology import load_registry
load_registry()
base = rss()
wall, cpu = time.perf_counter(), time.process_time()
if step == "cldr":
    from jtkg.loaders.states import not_state_names, sovereign_states
    sovereign_states(); not_state_names()
else:
    from jtkg.loaders.gazetteer import Gazetteer
    Gazetteer(all_states=(step == "gazetteer+states"))
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "mb": rss() - base}))
"""

_FIND = r"""
import json, time
from jtkg.loaders.gazetteer import Gazetteer
sentence = ("Indian officials met the Dutch minister in Tokyo, and German Chancellor Anna "
            "Beispiel said the Chinese Communist Party and Taiwan's ruling party disagree. ")
text = sentence * 400
out = {}
for on in (False, True):
    g = Gazetteer(all_states=on)
    g.find(text[:1000])
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(3):
        g.find(text)
    out[str(on)] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                    "chars": 3 * len(text)}
print(json.dumps(out))
"""


def _run(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    print("| step (fresh process) | wall s | CPU s | memory added MB |")
    print("|---|---|---|---|")
    for step in ("cldr", "gazetteer", "gazetteer+states"):
        runs = [_run(_CHILD, step) for _ in range(3)]
        best = min(runs, key=lambda r: r["wall"])
        print(f"| {step} | {best['wall']:.3f} | {best['cpu']:.3f} | {best['mb']:.1f} |")
    found = _run(_FIND)
    print()
    print("| Gazetteer.find | chars/s wall | chars/s CPU |")
    print("|---|---|---|")
    for on, label in (("False", "registry only"), ("True", "every state")):
        r = found[on]
        print(f"| {label} | {r['chars'] / r['wall']:,.0f} | {r['chars'] / r['cpu']:,.0f} |")


if __name__ == "__main__":
    main()
