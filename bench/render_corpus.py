#!/usr/bin/env python3
"""Times `kolla-build --template-only` over the debian case of the shared
kolla corpus (187 images): wall time per run and peak memory, with the work
dir on the usual file system (the temporary folder's) and on tmpfs
(/dev/shm), and the time this file system takes to create the same folders
and files in a plain loop: the floor no program can go below.

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



def run_once(parent):
    work = tempfile.mkdtemp(prefix='kb-bench-', dir=parent)
    start = time.perf_counter()
    res = subprocess.run([kolla_build, '--template-only', '--base', 'debian',
                          '--images-dir', images_dir, '--work-dir', work],
                         env={'PATH': os.environ['PATH'], 'HOME': work},
                         capture_output=True)
    took = time.perf_counter() - start
    if res.returncode != 0:
        sys.exit(res.stderr.decode())
    dirs, files = [], []
    for d, _, f in os.walk(os.path.join(work, 'docker')):
        dirs.append(os.path.relpath(d, work))
        files += [os.path.relpath(os.path.join(d, n), work) for n in f]
    shutil.rmtree(work)
    return took, dirs, files


def floor(parent, dirs, files):
    """Creates the same folders and files (one byte each) in a plain loop."""
    work = tempfile.mkdtemp(prefix='kb-floor-', dir=parent)
    start = time.perf_counter()
    for d in dirs:
        os.mkdir(os.path.join(work, d))
    for f in files:
        with open(os.path.join(work, f), 'w') as out:
            out.write('x')
    took = time.perf_counter() - start
    shutil.rmtree(work)
    return took


tmp = tempfile.gettempdir()
results = {}
for label, parent in (('temporary folder', tmp), ('tmpfs', '/dev/shm')):
    if not os.path.isdir(parent):
        continue
    times, floors = [], []
    for i in range(runs):
        took, dirs, files = run_once(parent)
        times.append(took)
        floors.append(floor(parent, dirs, files))
    results[label] = (times, floors, len(dirs), len(files))
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
n = sum(1 for f in files if f.endswith('/Dockerfile'))
print('images rendered: %d' % n)
print('runs: %d' % runs)
for label, (times, floors, nd, nf) in results.items():
    print('%s: kolla-build median %.1f ms, min %.1f ms; creating the same '
          '%d folders and %d files in a plain loop: median %.1f ms'
          % (label, statistics.median(times) * 1000, min(times) * 1000,
             nd, nf, statistics.median(floors) * 1000))
print('peak memory (max RSS): %.1f MB' % (peak_kb / 1024))
