#!/usr/bin/env python3
"""End-to-end tests of kolla-build on a real dockerd and registry.

The services come from tests/harness/services.sh (CTest fixture
'services'); their addresses are read from the file named by
KB_TEST_SERVICES_ENV. Every test asserts what a user sees: the exit status,
the summary, the logs, and the images in the engine (their files and
labels), never how long anything took.

Usage: test_kolla_build.py KOLLA_BUILD REPO_ROOT [unittest args]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from e2e_common import (SERVICES, load_services, docker, image_exists,
                        labels_of, cat_in, write)

KOLLA_BUILD = None
REPO = None


class KollaBuildCase(unittest.TestCase):
    """Each test gets a fresh folder and a namespace of its own."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kb-e2e-')
        # A namespace of its own per run: images of earlier runs stay in the
        # engine and would count as unchanged.
        self.ns = 'e2e%s%d' % (
            self.id().rsplit('.', 1)[1].lower().replace('_', '')[4:20],
            int(time.time() * 1000) % 10**9)
        self.base = SERVICES['KB_TEST_BASE_IMAGE']

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_kb(self, *args, env=None):
        full_env = {'PATH': os.environ['PATH'], 'HOME': self.tmp,
                    'DOCKER_HOST': SERVICES['DOCKER_HOST']}
        full_env.update(env or {})
        res = subprocess.run([KOLLA_BUILD] + list(args), capture_output=True,
                             text=True, env=full_env, timeout=600)
        return res

    def summary(self, res):
        # The JSON summary is the last line of stdout, with no newline.
        return json.loads(res.stdout.strip().splitlines()[-1])

    def names(self, summary, key):
        return sorted(e['name'] for e in summary[key])


class ExampleTreeTest(KollaBuildCase):
    """The bundled example: 6 images over 3 levels, macros, an override and
    a config file, built on the real engine."""

    def build_example(self, *extra):
        base_name, base_tag = self.base.rsplit(':', 1)
        return self.run_kb(
            '--config-file', os.path.join(REPO, 'examples', 'kolla-build.conf'),
            '--images-dir', os.path.join(REPO, 'examples', 'docker'),
            '--template-override', os.path.join(REPO, 'examples', 'override.j2'),
            '--base-image', base_name, '--base-tag', base_tag,
            '--namespace', self.ns, '--logs-dir',
            os.path.join(self.tmp, 'logs'), '--work-dir',
            os.path.join(self.tmp, 'work'), *extra)

    def test_builds_every_image_with_contents_and_labels(self):
        res = self.build_example()
        self.assertEqual(res.returncode, 0, res.stderr)
        s = self.summary(res)
        self.assertEqual(self.names(s, 'built'),
                         ['app-api', 'app-base', 'app-worker', 'base',
                          'tools', 'tools-extra'])
        self.assertEqual(s['failed'], [])
        ref = '%s/app-api:demo' % self.ns
        self.assertTrue(image_exists(ref))
        # Content from macros, the config's users and the override.
        self.assertEqual(cat_in(ref, '/etc/site'), 'built by the example site\n')
        self.assertEqual(cat_in(ref, '/etc/app/site.conf'), 'site.conf\n')
        self.assertIn('app:x:42500', cat_in(ref, '/etc/passwd'))
        labels = labels_of(ref)
        self.assertEqual(labels['site'], 'example')
        self.assertEqual(labels['org.opencontainers.image.title'], 'app-api')
        self.assertEqual(labels['org.opencontainers.image.version'], 'demo')
        self.assertIn('build-date', labels)
        self.assertTrue(labels['io.kolla-build.digest'].startswith('sha256:'))
        # One log per image, holding the engine's build output.
        with open(os.path.join(self.tmp, 'logs', 'app-api.log')) as f:
            log = f.read()
        self.assertIn('Step 1/', log)
        self.assertFalse(os.path.exists(
            os.path.join(self.tmp, 'logs', '000_FAILED_app-api.log')))

    def test_rerun_with_no_change_builds_nothing(self):
        self.assertEqual(self.build_example().returncode, 0)
        before = docker('image', 'inspect', '--format', '{{.Id}}',
                        '%s/tools-extra:demo' % self.ns).stdout
        res = self.build_example()
        self.assertEqual(res.returncode, 0, res.stderr)
        s = self.summary(res)
        self.assertEqual(s['built'], [])
        self.assertEqual(self.names(s, 'skipped'),
                         ['app-api', 'app-base', 'app-worker', 'base',
                          'tools', 'tools-extra'])
        self.assertTrue(all(e.get('reason') == 'unchanged'
                            for e in s['skipped']))
        after = docker('image', 'inspect', '--format', '{{.Id}}',
                       '%s/tools-extra:demo' % self.ns).stdout
        self.assertEqual(before, after)

    def test_changing_one_file_rebuilds_that_image_and_its_children(self):
        tree = os.path.join(self.tmp, 'tree')
        shutil.copytree(os.path.join(REPO, 'examples'), tree)

        def rebuild():
            res = self.run_kb(
                '--config-file', os.path.join(tree, 'kolla-build.conf'),
                '--images-dir', os.path.join(tree, 'docker'),
                '--template-override', os.path.join(tree, 'override.j2'),
                '--base-image', self.base.rsplit(':', 1)[0],
                '--base-tag', self.base.rsplit(':', 1)[1],
                '--namespace', self.ns)
            self.assertEqual(res.returncode, 0, res.stderr)
            return self.names(self.summary(res), 'built')

        self.assertEqual(len(rebuild()), 6)
        self.assertEqual(rebuild(), [])
        # A leaf: only that image.
        write(os.path.join(tree, 'docker', 'app', 'app-worker', 'x.txt'), '1')
        self.assertEqual(rebuild(), ['app-worker'])
        # A parent: it and its children.
        write(os.path.join(tree, 'docker', 'tools', 'extra.txt'), 'new\n')
        self.assertEqual(rebuild(), ['tools', 'tools-extra'])
        # The base: everything.
        write(os.path.join(tree, 'docker', 'base', 'note.txt'), 'base\n')
        self.assertEqual(len(rebuild()), 6)


class FailureTest(KollaBuildCase):
    """An image that fails on purpose: its error is shown and logged, its
    children end as parent_error, the rest build, and the exit status is 1."""

    def make_tree(self):
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'),
              'FROM {{ base_image }}:{{ base_distro_tag }}\n'
              'RUN echo base > /base\n')
        write(os.path.join(d, 'good', 'Dockerfile.j2'),
              'FROM {{ namespace }}/{{ image_prefix }}base:{{ tag }}\n'
              'RUN echo good > /good\n')
        write(os.path.join(d, 'bad', 'Dockerfile.j2'),
              'FROM {{ namespace }}/{{ image_prefix }}base:{{ tag }}\n'
              'RUN echo about to fail && exit 3\n')
        write(os.path.join(d, 'bad-child', 'Dockerfile.j2'),
              'FROM {{ namespace }}/{{ image_prefix }}bad:{{ tag }}\n'
              'RUN true\n')
        return d

    def test_failing_image(self):
        d = self.make_tree()
        name, tag = self.base.rsplit(':', 1)
        logs = os.path.join(self.tmp, 'no', 'such', 'logs')
        res = self.run_kb('--images-dir', d, '--base', 'debian',
                          '--base-image', name, '--base-tag', tag,
                          '--namespace', self.ns, '--nopull', '--retries', '1',
                          '--tag', 'e2e', '--logs-dir', logs)
        self.assertEqual(res.returncode, 1, res.stderr)
        s = self.summary(res)
        self.assertEqual(self.names(s, 'built'), ['base', 'good'])
        failed = {e['name']: e['status'] for e in s['failed']}
        self.assertEqual(failed, {'bad': 'error', 'bad-child': 'parent_error'})
        # The daemon's own words reach the terminal, never swallowed.
        self.assertIn('returned a non-zero code: 3', res.stderr)
        self.assertEqual(os.readlink(os.path.join(logs, '000_FAILED_bad.log')),
                         'bad.log')
        with open(os.path.join(logs, 'bad.log')) as f:
            self.assertIn('about to fail', f.read())
        self.assertEqual(cat_in('%s/good:e2e' % self.ns, '/good'), 'good\n')
        self.assertFalse(image_exists('%s/bad-child:e2e' % self.ns))

    def test_engine_not_reachable(self):
        d = self.make_tree()
        res = self.run_kb('--images-dir', d,
                          env={'DOCKER_HOST': 'unix://' + self.tmp + '/none.sock'})
        self.assertEqual(res.returncode, 1)
        self.assertIn('unable to connect to the container engine', res.stderr)
        self.assertEqual(len(res.stderr.strip().splitlines()), 1, res.stderr)


class PushTest(KollaBuildCase):
    def test_push_to_registry(self):
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'),
              'FROM {{ base_image }}:{{ base_distro_tag }}\nRUN echo x > /x\n')
        write(os.path.join(d, 'leaf', 'Dockerfile.j2'),
              'FROM {{ namespace }}/{{ image_prefix }}base:{{ tag }}\n'
              'RUN echo leaf > /leaf\n')
        name, tag = self.base.rsplit(':', 1)
        reg = SERVICES['KB_TEST_REGISTRY']
        res = self.run_kb('--images-dir', d, '--base-image', name,
                          '--base-tag', tag, '--namespace', self.ns,
                          '--registry', reg, '--push', '--nopull',
                          '--tag', 'pushed')
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(self.names(self.summary(res), 'built'),
                         ['base', 'leaf'])
        for image in ('base', 'leaf'):
            url = 'http://%s/v2/%s/%s/tags/list' % (reg, self.ns, image)
            with urllib.request.urlopen(url, timeout=30) as r:
                self.assertEqual(json.load(r)['tags'], ['pushed'])

    def test_unchanged_image_is_still_pushed(self):
        d = os.path.join(self.tmp, 'docker')
        write(os.path.join(d, 'base', 'Dockerfile.j2'),
              'FROM {{ base_image }}:{{ base_distro_tag }}\nRUN echo x > /x\n')
        name, tag = self.base.rsplit(':', 1)
        reg = SERVICES['KB_TEST_REGISTRY']
        args = ['--images-dir', d, '--base-image', name, '--base-tag', tag,
                '--namespace', self.ns, '--registry', reg, '--nopull',
                '--tag', 'later']
        res = self.run_kb(*args)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(self.names(self.summary(res), 'built'), ['base'])
        # Built before, never pushed: the rerun builds nothing but pushes.
        res = self.run_kb(*args, '--push')
        self.assertEqual(res.returncode, 0, res.stderr)
        s = self.summary(res)
        self.assertEqual(s['built'], [])
        self.assertEqual([(e['name'], e.get('reason')) for e in s['skipped']],
                         [('base', 'unchanged')])
        url = 'http://%s/v2/%s/base/tags/list' % (reg, self.ns)
        with urllib.request.urlopen(url, timeout=30) as r:
            self.assertEqual(json.load(r)['tags'], ['later'])


class LabelTest(KollaBuildCase):
    """Labels reach the image exactly as configured, whatever characters
    they hold and whatever the Dockerfile looks like."""

    MAINTAINER = 'Bob "$USER" \\o/ ${X} `tick` \u00fc'

    def build(self, dockerfiles):
        d = os.path.join(self.tmp, 'docker')
        for name, text in dockerfiles.items():
            write(os.path.join(d, name, 'Dockerfile.j2'), text)
        conf = os.path.join(self.tmp, 'kolla-build.conf')
        # oslo.config reads '$$' as one '$'.
        write(conf, '[DEFAULT]\nmaintainer = %s\n'
              % self.MAINTAINER.replace('$', '$$'))
        name, tag = self.base.rsplit(':', 1)
        return self.run_kb('--config-file', conf, '--images-dir', d,
                           '--base-image', name, '--base-tag', tag,
                           '--namespace', self.ns, '--nopull', '--tag', 'lt',
                           '--logs-dir', os.path.join(self.tmp, 'logs'))

    def test_label_values_stay_literal(self):
        res = self.build({
            'plain': 'FROM {{ base_image }}:{{ base_distro_tag }}\n'
                     'ENV USER=root X=y\nRUN echo x > /x\n',
            # A backtick escape character and a trailing comment line.
            'tick': '# escape=`\nFROM {{ base_image }}:{{ base_distro_tag }}\n'
                    'RUN echo a `\n    b > /x\n# the end\n',
            # Only the last stage is the image.
            'stages': 'FROM {{ base_image }}:{{ base_distro_tag }} AS build\n'
                      'RUN echo s > /s\n'
                      'FROM {{ base_image }}:{{ base_distro_tag }}\n'
                      'COPY --from=build /s /s',
        })
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(self.names(self.summary(res), 'built'),
                         ['plain', 'stages', 'tick'])
        for image in ('plain', 'tick', 'stages'):
            labels = labels_of('%s/%s:lt' % (self.ns, image))
            self.assertEqual(labels['org.opencontainers.image.authors'],
                             self.MAINTAINER, image)
            self.assertEqual(labels['org.opencontainers.image.title'], image)
            self.assertTrue(
                labels['io.kolla-build.digest'].startswith('sha256:'))
        self.assertEqual(cat_in('%s/tick:lt' % self.ns, '/x'), 'a b\n')
        self.assertEqual(cat_in('%s/stages:lt' % self.ns, '/s'), 's\n')


if __name__ == '__main__':
    KOLLA_BUILD, REPO = sys.argv[1], sys.argv[2]
    load_services()
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
