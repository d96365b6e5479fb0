#!/usr/bin/env python3
"""Builds a synthetic tree of images whose RUN steps sleep for set times on
a private dockerd, with 2 and 4 threads, and reports the makespan against
the lower bound max(critical path, total work / threads).

Usage: bench/makespan.py [KOLLA_BUILD]
Starts the harness services in build/bench-services and stops them at the
end. Prints its figures; not a test.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
kolla_build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    root, 'build', 'kolla-build')
services = os.path.join(root, 'build', 'bench-services')
harness = os.path.join(root, 'tests', 'harness', 'services.sh')

# name -> (parent, seconds of RUN sleep). A long chain beside many short
# leaves: queue order would start the leaves first and finish late.
TREE = {
    'base': (None, 1),
    'chain-1': ('base', 4), 'chain-2': ('chain-1', 4),
    'chain-3': ('chain-2', 4),
    'mid': ('base', 2),
    'leaf-a': ('mid', 2), 'leaf-b': ('mid', 2), 'leaf-c': ('mid', 2),
    'leaf-d': ('base', 2), 'leaf-e': ('base', 2), 'leaf-f': ('base', 2),
    'leaf-g': ('base', 1), 'leaf-h': ('base', 1),
}


def critical(name, secs):
    kids = [k for k, (p, _) in TREE.items() if p == name]
    return secs[name] + max((critical(k, secs) for k in kids), default=0)


def make_tree(d):
    for name, (parent, secs) in TREE.items():
        os.makedirs(os.path.join(d, name))
        src = ('{{ base_image }}:{{ base_distro_tag }}' if parent is None else
               '{{ namespace }}/{{ image_prefix }}%s:{{ tag }}' % parent)
        with open(os.path.join(d, name, 'Dockerfile.j2'), 'w') as f:
            f.write('FROM %s\nRUN sleep %d && echo %s > /%s\n'
                    % (src, secs, name, name))


def main():
    subprocess.run([harness, 'start', services], check=True)
    env_file = dict(l.strip().split('=', 1)
                    for l in open(os.path.join(services, 'env')) if '=' in l)
    base_name, base_tag = env_file['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
    tmp = tempfile.mkdtemp(prefix='kb-makespan-')
    try:
        make_tree(os.path.join(tmp, 'docker'))
        nominal = {k: v[1] for k, v in TREE.items()}
        print('images: %d, RUN sleeps: total %ds, critical path %ds'
              % (len(TREE), sum(nominal.values()), critical('base', nominal)))
        for threads in (2, 4):
            args = [kolla_build, '--images-dir', os.path.join(tmp, 'docker'),
                    '--base-image', base_name, '--base-tag', base_tag,
                    '--nopull', '--nocache', '--threads', str(threads),
                    '--logs-dir', os.path.join(tmp, 'logs-%d' % threads),
                    '--namespace', 'bench%d' % threads, '--format', 'none']
            env = {'PATH': os.environ['PATH'], 'HOME': tmp,
                   'DOCKER_HOST': env_file['DOCKER_HOST']}
            # One run to learn the durations, then the measured one.
            subprocess.run(args, env=env, check=True, capture_output=True)
            start = time.perf_counter()
            subprocess.run(args, env=env, check=True, capture_output=True)
            makespan = time.perf_counter() - start
            # The bound uses each image's measured build time in this run
            # (sleep plus the engine's own overhead), as kolla-build
            # recorded it.
            with open(os.path.join(tmp, 'logs-%d' % threads,
                                   '.kolla-build-durations.json')) as f:
                took = json.load(f)
            work = sum(took[k] for k in TREE)
            cp = critical('base', took)
            bound = max(cp, work / threads)
            # Nothing can start before the root is built, so the root's
            # time is spent on one thread whatever the schedule.
            tight = max(cp, took['base'] + (work - took['base']) / threads)
            print('threads %d: makespan %.1fs; measured work %.1fs, critical '
                  'path %.1fs; bound max(cp, work/threads) %.1fs: ratio %.2f; '
                  'bound with the root alone first %.1fs: ratio %.2f'
                  % (threads, makespan, work, cp, bound, makespan / bound,
                     tight, makespan / tight))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([harness, 'stop', services])


if __name__ == '__main__':
    main()
