#!/usr/bin/env python3
"""Times `kolla-build --template-only` over the debian case of the shared
kolla corpus (187 images): wall time per run and peak memory.

Usage: bench/render_corpus.py [KOLLA_BUILD] [RUNS]
Prints one line per figure; not a test.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
kolla_build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    root, 'build', 'kolla-build')
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
corpus = os.path.join(root, '..', 'shared', 'kolla-corpus')
images_dir = os.path.join(corpus, 'kolla', 'docker')
if not os.path.isdir(images_dir):
    sys.exit('no corpus at %s' % corpus)

times = []
for i in range(runs):
    work = tempfile.mkdtemp(prefix='kb-bench-')
    start = time.perf_counter()
    res = subprocess.run([kolla_build, '--template-only', '--base', 'debian',
                          '--images-dir', images_dir, '--work-dir', work],
                         env={'PATH': os.environ['PATH'], 'HOME': work},
                         capture_output=True)
    times.append(time.perf_counter() - start)
    if res.returncode != 0:
        sys.exit(res.stderr.decode())
    n = sum(1 for d, _, f in os.walk(os.path.join(work, 'docker'))
            if 'Dockerfile' in f)
    shutil.rmtree(work)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print('images rendered: %d' % n)
print('runs: %d' % runs)
print('wall time median: %.1f ms' % (statistics.median(times) * 1000))
print('wall time min: %.1f ms' % (min(times) * 1000))
print('per image (median): %.3f ms' % (statistics.median(times) * 1000 / n))
print('peak memory (max RSS): %.1f MB' % (peak_kb / 1024))
